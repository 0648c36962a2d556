import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { usernamePasswordFromSecret } from '../secrets/username-password.js';
import type { KafkaAuth } from './auth.js';
import type { DiscoveryOptions } from './discovery.js';
import { type IamTokenSource, iamOauthBearerProvider, mskIamTokenSource } from './iam-token.js';
import type { SecretRedactor } from './redact.js';

/** What {@link kafkaSecurity} needs besides the auth itself. */
export interface SecurityOptions {
  readonly aws: DiscoveryOptions & { readonly secretsEndpoint?: string };
  readonly iamTokenSource?: IamTokenSource;
  /** Remembers each secret it reads, so logs and errors can be scrubbed of it. */
  readonly redactor: SecretRedactor;
}

/**
 * The kafkajs `ssl`/`sasl` settings for an auth mechanism: one place, so the publisher and the CLI's
 * tools (produce, consume, redrive) connect to a cluster the same way.
 */
export async function kafkaSecurity(auth: KafkaAuth, options: SecurityOptions): Promise<Pick<KafkaConfig, 'ssl' | 'sasl'>> {
  const { redactor } = options;
  switch (auth.mechanism) {
    case 'plaintext':
      return {};
    case 'tls':
      return { ssl: auth.ca ? { ca: [...auth.ca] } : true };
    case 'scram-sha-512': {
      const credentials = auth.secretArn
        ? await usernamePasswordFromSecret(auth.secretArn, {
            ...(options.aws.region ? { region: options.aws.region } : {}),
            ...(options.aws.secretsEndpoint ? { endpoint: options.aws.secretsEndpoint } : {}),
          })
        : { username: auth.username ?? '', password: auth.password ?? '' };
      redactor.remember(credentials.password);
      const sasl: SASLOptions = { mechanism: 'scram-sha-512', username: credentials.username, password: credentials.password };
      // No `servername` here: kafkajs sends the dialled host name as SNI and Node checks the certificate
      // against the host dialled (name or IP), which is the check that keeps credentials off the wrong host.
      return { ssl: auth.ca ? { ca: [...auth.ca] } : true, sasl };
    }
    case 'iam': {
      const region = auth.region ?? process.env.AWS_REGION;
      const source = options.iamTokenSource ?? mskIamTokenSource({ region: region ?? 'us-east-1' });
      const remembering: IamTokenSource = async () => {
        const token = await source();
        redactor.remember(token.token);
        return token;
      };
      return { ssl: true, sasl: { mechanism: 'oauthbearer', oauthBearerProvider: iamOauthBearerProvider(remembering) } };
    }
  }
}
