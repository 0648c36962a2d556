import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, type KafkaConfig, type KafkaMessage, logLevel } from 'kafkajs';
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

/** A consumed message with its partition. */
export interface Consumed {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | Buffer[]>;
  /** The message as kafkajs delivered it (timestamps, and the batch's timestamp type). */
  readonly message: KafkaMessage;
}

/**
 * Reads `topics` from the beginning with a fresh consumer group until `until`
 * says enough was read (or `timeoutMs` passes), then returns the messages in
 * the order each partition delivered them.
 */
export async function consume(
  kafka: Kafka,
  topics: string[],
  until: (messages: Consumed[]) => boolean,
  options: { readUncommitted?: boolean; timeoutMs?: number } = {},
): Promise<Consumed[]> {
  const consumer = kafka.consumer({
    groupId: uniqueTopic('test-reader'),
    readUncommitted: options.readUncommitted ?? false,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  const received: Consumed[] = [];
  try {
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => resolve(), options.timeoutMs ?? 20_000);
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            received.push({
              topic,
              partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: (message.headers ?? {}) as Record<string, Buffer | Buffer[]>,
              message,
            });
            if (until(received)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** The first value of a consumed header, as text. */
export function headerText(message: Consumed, name: string): string | undefined {
  const value = message.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.toString('utf8');
}
