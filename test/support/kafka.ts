import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { inject } from 'vitest';

/** The shared test cluster (started by the global setup, or `KAFKA_BROKERS`). */
export function testKafka(): ReturnType<typeof inject<'kafka'>> {
  return inject('kafka');
}

/** A kafkajs client for the shared test cluster, quiet unless a test says otherwise. */
export function testKafkaClient(overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'router-tests',
    brokers: testKafka().brokers,
    logLevel: logLevel.NOTHING,
    ...overrides,
  });
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Creates topics and waits until their leaders are elected. */
export async function createTopics(admin: Admin, topics: Array<{ topic: string; numPartitions?: number }>): Promise<void> {
  await admin.createTopics({
    topics: topics.map(({ topic, numPartitions }) => ({ topic, numPartitions: numPartitions ?? 1 })),
    waitForLeaders: true,
  });
}
