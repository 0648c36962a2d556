import type { SaslSslListener } from './broker.js';
import { type StartBrokerOptions, startKafkaBroker } from './broker.js';

/** A Kafka cluster to talk to: one we started, or the one `KAFKA_BROKERS` names. */
export interface KafkaCluster {
  readonly brokers: readonly string[];
  /** True when this process started the broker (and `stop` ends it). */
  readonly owned: boolean;
  readonly saslSsl?: SaslSslListener;
  stop(): Promise<void>;
}

/** Splits a `KAFKA_BROKERS`-style list ("a:9092, b:9092") into broker addresses. */
export function parseBrokerList(list: string): string[] {
  return list
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/**
 * Uses the cluster in `KAFKA_BROKERS` when set (starting nothing), else starts
 * the local broker. This is the one switch dev mode, the demo and tests share.
 */
export async function useKafkaCluster(options: StartBrokerOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<KafkaCluster> {
  const external = env.KAFKA_BROKERS ? parseBrokerList(env.KAFKA_BROKERS) : [];
  if (external.length > 0) {
    return { brokers: external, owned: false, stop: async () => undefined };
  }
  const broker = await startKafkaBroker(options);
  return {
    brokers: broker.brokers,
    owned: true,
    ...(broker.saslSsl ? { saslSsl: broker.saslSsl } : {}),
    stop: () => broker.stop(),
  };
}
