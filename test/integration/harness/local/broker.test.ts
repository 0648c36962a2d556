import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';

describe('the shared test broker', () => {
  const kafka = testKafkaClient();
  const admin = kafka.admin();
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('creates topics through the admin client and reports their partitions', async () => {
    const topic = uniqueTopic('smoke-admin');
    await createTopics(admin, [{ topic, numPartitions: 3 }]);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    expect(await admin.listTopics()).toContain(topic);
  });

  it('round-trips messages through a producer and a consumer group, in partition order', async () => {
    const topic = uniqueTopic('smoke-group');
    await createTopics(admin, [{ topic, numPartitions: 2 }]);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const sent = Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 2}`, value: `v${i}`, partition: i % 2 }));
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueTopic('smoke-group-id') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: Array<{ partition: number; message: KafkaMessage }> = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({ partition, message });
            if (received.length === sent.length) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();

    for (const partition of [0, 1]) {
      const values = received.filter((r) => r.partition === partition).map((r) => r.message.value?.toString());
      expect(values).toEqual(sent.filter((m) => m.partition === partition).map((m) => m.value));
    }
  });
});

describe('the SASL_SSL listener with SCRAM-SHA-512', () => {
  const saslSsl = testKafka().saslSsl;
  const scramClient = (password: string) =>
    new Kafka({
      clientId: 'router-tests-scram',
      brokers: saslSsl?.brokers ?? [],
      ssl: { ca: [saslSsl?.caPem ?? ''], servername: 'localhost' },
      sasl: { mechanism: 'scram-sha-512', username: saslSsl?.user.name ?? '', password },
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 0 },
    });

  it.skipIf(!saslSsl)('accepts the right password over TLS', async () => {
    const admin = scramClient(saslSsl?.user.password ?? '').admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();
    expect(cluster.brokers).toHaveLength(1);
  });

  it.skipIf(!saslSsl)('rejects a wrong password with an authentication error', async () => {
    const admin = scramClient('not-the-password').admin();
    const failure = await admin.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    await admin.disconnect().catch(() => undefined);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('KafkaJSSASLAuthenticationError');
    expect((failure as Error).message).toMatch(/SASL SCRAM SHA512 authentication failed/);
    expect((failure as Error).message).not.toContain('not-the-password');
  });
});
