import type { MessagePublisher } from '../router/outbox.js';
import { createDryRunPublisher } from './dry-run.js';
import { createKafkaPublisher, type KafkaPublisherOptions } from './kafka.js';

/**
 * The publisher a function entry should use: Kafka (brokers from
 * `KAFKA_BROKERS`, the event, or MSK discovery) when deployed or when
 * `KAFKA_BROKERS` is set; a clearly labelled dry run under
 * `serverless invoke local` (`IS_LOCAL`) with no cluster to talk to.
 */
export function createDefaultPublisher(options: KafkaPublisherOptions = {}, env: NodeJS.ProcessEnv = process.env): MessagePublisher {
  if (env.IS_LOCAL === 'true' && !env.KAFKA_BROKERS && !options.brokers) return createDryRunPublisher();
  return createKafkaPublisher(options);
}
