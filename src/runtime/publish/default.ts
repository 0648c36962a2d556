import type { MessagePublisher } from '../router/outbox.js';
import { authFromEnv } from './auth.js';
import { createDryRunPublisher } from './dry-run.js';
import { createKafkaPublisher, type KafkaPublisherOptions } from './kafka.js';

/**
 * The publisher a function entry should use: Kafka (brokers from
 * `KAFKA_BROKERS`, the event, or MSK discovery) when deployed or when
 * `KAFKA_BROKERS` is set; a clearly labelled dry run under
 * `serverless invoke local` (`IS_LOCAL`) with no cluster to talk to.
 *
 * Under `invoke local` with `KAFKA_BROKERS`, serverless.yml's `KAFKA_AUTH`
 * describes the deployed cluster, not the local one, so auth comes from
 * `KAFKA_LOCAL_AUTH` instead (default `plaintext`), and the producer disconnects
 * after each flush so the CLI exits once it has printed the response.
 */
export function createDefaultPublisher(options: KafkaPublisherOptions = {}, env: NodeJS.ProcessEnv = process.env): MessagePublisher {
  const local = env.IS_LOCAL === 'true';
  if (local && !env.KAFKA_BROKERS && !options.brokers) return createDryRunPublisher();
  if (local) {
    return createKafkaPublisher(
      {
        disconnectAfterFlush: true,
        ...options,
        auth: options.auth ?? authFromEnv({ ...env, KAFKA_AUTH: env.KAFKA_LOCAL_AUTH ?? 'plaintext' }),
      },
      env,
    );
  }
  return createKafkaPublisher({ ...options, auth: options.auth ?? authFromEnv(env) }, env);
}
