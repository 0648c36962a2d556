import { ConfigError } from '../errors/index.js';

/** How the publisher authenticates to Kafka. */
export type KafkaAuth =
  | { readonly mechanism: 'plaintext' }
  | { readonly mechanism: 'tls'; readonly ca?: readonly string[] }
  | {
      readonly mechanism: 'scram-sha-512';
      /** Literal credentials (e.g. from env), or… */
      readonly username?: string;
      readonly password?: string;
      /** …a Secrets Manager secret `{"username","password"}`, as MSK SCRAM requires. */
      readonly secretArn?: string;
      readonly ca?: readonly string[];
    }
  | { readonly mechanism: 'iam'; readonly region?: string };

/** The auth mechanism names `KAFKA_AUTH` accepts. */
export type KafkaAuthMechanism = KafkaAuth['mechanism'];

/**
 * Auth from the environment: `KAFKA_AUTH` = `plaintext` (default) | `tls` |
 * `scram-sha-512` | `iam`; SCRAM reads `KAFKA_SASL_USERNAME`/`KAFKA_SASL_PASSWORD`
 * or `KAFKA_SASL_SECRET_ARN`; IAM uses `AWS_REGION` and the default credential chain.
 */
export function authFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaAuth {
  const mechanism = (env.KAFKA_AUTH ?? 'plaintext').toLowerCase();
  switch (mechanism) {
    case 'plaintext':
      return { mechanism: 'plaintext' };
    case 'tls':
      return { mechanism: 'tls' };
    case 'scram':
    case 'scram-sha-512': {
      const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password, KAFKA_SASL_SECRET_ARN: secretArn } = env;
      if (!secretArn && !(username && password)) {
        throw new ConfigError('KAFKA_AUTH=scram-sha-512 needs KAFKA_SASL_SECRET_ARN, or KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
      }
      return { mechanism: 'scram-sha-512', ...(secretArn ? { secretArn } : { username, password }) };
    }
    case 'iam':
      return { mechanism: 'iam', ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}) };
    default:
      throw new ConfigError(`KAFKA_AUTH must be plaintext, tls, scram-sha-512 or iam (got '${mechanism}')`);
  }
}
