import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildKafkaEvent, type EventMessage } from '../../../../src/harness/testing/build-event.js';
import { PermanentError, PublishError } from '../../../../src/runtime/errors/index.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { createKafkaPublisher } from '../../../../src/runtime/publish/kafka.js';
import { DLT_HEADERS } from '../../../../src/runtime/router/dead-letter.js';
import type { DispatchReport } from '../../../../src/runtime/router/dispatch.js';
import { decodeLineage, messageIdText } from '../../../../src/runtime/router/lineage-compact.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { consume, createTopics, headerText, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { lambdaContext } from '../../../support/lambda.js';

const kafka = testKafkaClient();
const admin = kafka.admin();
beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

const Order = z.object({ id: z.number(), customer: z.string(), total: z.number() });

describe('Kafka publisher: fan-out', () => {
  it('fans a 1,000-record batch out to 3 topics with keys, lineage headers and per-key order intact', async () => {
    const [source, audit, billing, notify] = ['orders', 'audit', 'billing', 'notify'].map(uniqueTopic) as [string, string, string, string];
    await createTopics(admin, [
      { topic: audit, numPartitions: 3 },
      { topic: billing, numPartitions: 3 },
      { topic: notify, numPartitions: 1 },
    ]);
    const route = defineRoute({
      topic: source,
      schema: Order,
      publishes: [
        to(audit),
        to(billing, { map: (o: z.infer<typeof Order>) => ({ order: o.id, amount: o.total }) }),
        to(notify, { key: (o: z.infer<typeof Order>) => `notify-${o.customer}`, headers: () => ({ channel: 'email' }) }),
      ],
      handle: (order) => order,
    });
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, logger: silentLogger });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    const messages: EventMessage[] = Array.from({ length: 1_000 }, (_, i) => ({
      topic: source,
      // A key always comes from one source partition, as Kafka's partitioner guarantees.
      partition: (i % 37) % 4,
      key: `customer-${i % 37}`,
      value: { id: i, customer: `customer-${i % 37}`, total: i / 2 },
      headers: { traceparent: `00-${String(i).padStart(32, '0')}-${'1'.repeat(16)}-01` },
    }));
    const response = await handler(buildKafkaEvent(messages), lambdaContext());
    expect(response.batchItemFailures).toEqual([]);

    const received = await consume(kafka, [audit, billing, notify], (all) => all.length >= 3_000);
    await publisher.close();
    expect(received).toHaveLength(3_000);
    const sourceOf = (m: (typeof received)[number]) =>
      messages[Number(JSON.parse(m.value?.toString() ?? '{}').id ?? JSON.parse(m.value?.toString() ?? '{}').order)];

    for (const topic of [audit, billing, notify]) {
      const onTopic = received.filter((m) => m.topic === topic);
      expect(onTopic).toHaveLength(1_000);
      const ids = new Set(onTopic.map((m) => headerText(m, 'x-message-id')));
      expect(ids.size).toBe(1_000);
      for (const message of onTopic) {
        const input = sourceOf(message) as EventMessage;
        const value = JSON.parse(message.value?.toString() ?? 'null');
        if (topic === audit) expect(value).toEqual(input.value);
        if (topic === billing)
          expect(value).toEqual({ order: (input.value as { id: number }).id, amount: (input.value as { total: number }).total });
        expect(message.key?.toString()).toBe(topic === notify ? `notify-${input.key}` : input.key);
        expect(headerText(message, 'x-source-topic')).toBe(source);
        expect(Number(headerText(message, 'x-source-partition'))).toBe(input.partition);
        expect(headerText(message, 'traceparent')).toBe((input.headers as Record<string, string>).traceparent);
        if (topic === notify) expect(headerText(message, 'channel')).toBe('email');
      }
      // Per key, outputs arrive in the order of their inputs' offsets.
      const byKey = new Map<string, number[]>();
      for (const message of onTopic) {
        const key = message.key?.toString() ?? '';
        const list = byKey.get(key) ?? [];
        list.push(Number(headerText(message, 'x-source-offset')));
        byKey.set(key, list);
      }
      for (const order of byKey.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it("carries lineage: 'compact' through the broker as one x-lineage header whose id is the headers route's x-message-id", async () => {
    const [source, compactOut, textOut] = ['compact-in', 'compact-out', 'text-out'].map(uniqueTopic) as [string, string, string];
    await createTopics(admin, [
      { topic: compactOut, numPartitions: 2 },
      { topic: textOut, numPartitions: 2 },
    ]);
    const route = (lineage: 'headers' | 'compact', out: string) =>
      defineRoute({ topic: source, name: 'same-route', lineage, publishes: [to(out)], handle: (value: unknown) => value });
    const messages: EventMessage[] = Array.from({ length: 50 }, (_, i) => ({
      topic: source,
      partition: i % 3,
      key: `k-${i % 5}`,
      value: { i },
    }));
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, logger: silentLogger });
    for (const [lineage, out] of [
      ['compact', compactOut],
      ['headers', textOut],
    ] as const) {
      const handler = createKafkaHandler(createRouter({ routes: [route(lineage, out)], unmatched: 'fail', logger: silentLogger }), {
        publisher,
      });
      expect((await handler(buildKafkaEvent(messages), lambdaContext())).batchItemFailures).toEqual([]);
    }
    const received = await consume(kafka, [compactOut, textOut], (all) => all.length >= 100);
    await publisher.close();
    const idOf = new Map(received.filter((m) => m.topic === textOut).map((m) => [m.value?.toString(), headerText(m, 'x-message-id')]));
    const compact = received.filter((m) => m.topic === compactOut);
    expect(compact).toHaveLength(50);
    for (const message of compact) {
      expect(Object.keys(message.headers)).toEqual(['x-lineage']);
      const lineage = decodeLineage(message.headers['x-lineage'] as Buffer, { topic: compactOut, partition: 0, offset: 0 });
      const input = messages[(JSON.parse(message.value?.toString() ?? '{}') as { i: number }).i] as EventMessage;
      expect([lineage.sourceTopic, lineage.sourcePartition]).toEqual([source, input.partition]);
      expect(messageIdText(lineage.messageId)).toBe(idOf.get(message.value?.toString()));
    }
  });

  it('pre-connects during init with preConnect (and on connect()), so the first flush does not connect', async () => {
    const out = uniqueTopic('preconnect-out');
    await createTopics(admin, [{ topic: out, numPartitions: 1 }]);
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, preConnect: true, logger: silentLogger });
    await expect.poll(() => publisher.connects, { timeout: 20_000 }).toBe(1);
    const message = {
      topic: out,
      key: null,
      value: Buffer.from('1'),
      headers: [],
      source: { topic: 'in', partition: 0, offset: 0 },
      sequence: 0,
      kind: 'output' as const,
    };
    await publisher.publish([message], { bootstrapServers: [], eventSourceArn: undefined });
    expect(publisher.connects).toBe(1);
    await publisher.close();
    // connect() after close dials again, once, however often it is called.
    await Promise.all([publisher.connect(), publisher.connect()]);
    expect(publisher.connects).toBe(2);
    await publisher.close();
  });

  it('reuses one producer connection across warm invocations', async () => {
    const [source, out] = [uniqueTopic('reuse-in'), uniqueTopic('reuse-out')];
    await createTopics(admin, [{ topic: out }]);
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, logger: silentLogger });
    const route = defineRoute({ topic: source, publishes: [to(out)], handle: (value: unknown) => value });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    await handler(buildKafkaEvent([{ topic: source, value: 1 }]), lambdaContext());
    await handler(buildKafkaEvent([{ topic: source, offset: 1, value: 2 }]), lambdaContext());
    expect(publisher.connects).toBe(1);
    const received = await consume(kafka, [out], (all) => all.length >= 2);
    await publisher.close();
    expect(received.map((m) => m.value?.toString())).toEqual(['1', '2']);
  });
});

describe('Kafka publisher: compression', () => {
  it('gzips batches that consumers read back intact', async () => {
    const [source, out] = [uniqueTopic('gzip-in'), uniqueTopic('gzip-out')];
    await createTopics(admin, [{ topic: out }]);
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, compression: 'gzip', logger: silentLogger });
    const route = defineRoute({ topic: source, publishes: [to(out)], handle: (value: unknown) => value });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    const values = Array.from({ length: 50 }, (_, i) => ({ i, text: 'compressible '.repeat(40) }));
    await handler(buildKafkaEvent(values.map((value) => ({ topic: source, value }))), lambdaContext());
    const received = await consume(kafka, [out], (all) => all.length >= 50);
    await publisher.close();
    expect(received.map((m) => JSON.parse(m.value?.toString() ?? 'null'))).toEqual(values);
  });
});

describe('Kafka publisher: dead letters', () => {
  it('writes a dead letter with the original key, value and headers plus Spring’s kafka_dlt-* headers', async () => {
    const source = uniqueTopic('payments');
    const dlt = `${source}.DLT`;
    await createTopics(admin, [{ topic: dlt }]);
    const route = defineRoute({
      topic: source,
      deadLetter: true,
      handle: () => {
        throw new PermanentError('card declined');
      },
    });
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, logger: silentLogger });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    const response = await handler(
      buildKafkaEvent(
        [{ topic: source, partition: 5, offset: 1234, key: 'pay-1', value: { amount: 3 }, headers: { 'x-correlation-id': 'c-1' } }],
        { timestamp: 1_700_000_000_000 },
      ),
      lambdaContext(),
    );
    expect(response.batchItemFailures).toEqual([]);
    const [letter] = await consume(kafka, [dlt], (all) => all.length >= 1);
    await publisher.close();
    if (!letter) throw new Error('no dead letter');
    expect(letter.key?.toString()).toBe('pay-1');
    expect(JSON.parse(letter.value?.toString() ?? '')).toEqual({ amount: 3 });
    expect(headerText(letter, 'x-correlation-id')).toBe('c-1');
    const raw = (name: string) => letter.headers[name] as Buffer;
    expect(raw(DLT_HEADERS.originalTopic).toString()).toBe(source);
    expect(raw(DLT_HEADERS.originalPartition).readInt32BE()).toBe(5);
    expect(raw(DLT_HEADERS.originalOffset).readBigInt64BE()).toBe(1234n);
    expect(raw(DLT_HEADERS.originalTimestamp).readBigInt64BE()).toBe(1_700_000_000_000n);
    expect(raw(DLT_HEADERS.originalTimestampType).toString()).toBe('CreateTime');
    expect(raw(DLT_HEADERS.exceptionFqcn).toString()).toBe('PermanentError');
    expect(raw(DLT_HEADERS.exceptionMessage).toString()).toBe('card declined');
    expect(raw(DLT_HEADERS.exceptionStacktrace).toString()).toContain('PermanentError: card declined');
  });
});

describe('Kafka publisher: transactions', () => {
  it('aborts a failed invocation so read_committed consumers see none of its outputs', async () => {
    const [source, small, large] = [uniqueTopic('tx-in'), uniqueTopic('tx-small'), uniqueTopic('tx-large')];
    await createTopics(admin, [{ topic: small }, { topic: large }]);
    const route = defineRoute({
      topic: source,
      publishes: [to(small), to(large)],
      handle: (value: unknown, ctx) => {
        ctx.publish(small, value);
        // Over the broker's 1 MiB max.message.bytes: the broker rejects this one.
        ctx.publish(large, 'x'.repeat(2 * 1024 * 1024));
      },
    });
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, transactional: true, logger: silentLogger });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    await expect(handler(buildKafkaEvent([{ topic: source, value: { n: 'first' } }]), lambdaContext())).rejects.toBeInstanceOf(
      PublishError,
    );
    await publisher.close();

    // A committed marker after the aborted write: read until it, then nothing before it may be visible.
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic: small, acks: -1, messages: [{ value: 'marker' }] });
    await plain.disconnect();
    const committed = await consume(kafka, [small], (all) => all.some((m) => m.value?.toString() === 'marker'));
    expect(committed.map((m) => m.value?.toString())).toEqual(['marker']);
    // The aborted output really was written (so the check above is not vacuous).
    const uncommitted = await consume(kafka, [small], (all) => all.some((m) => m.value?.toString() === 'marker'), {
      readUncommitted: true,
    });
    expect(uncommitted.map((m) => m.value?.toString())).toEqual(['{"n":"first"}', 'marker']);
  });
});

describe('Kafka publisher: SCRAM-SHA-512 over TLS', () => {
  const saslSsl = testKafka().saslSsl;
  const publishOnce = async (password: string) => {
    const out = uniqueTopic('scram-out');
    await createTopics(admin, [{ topic: out }]);
    const publisher = createKafkaPublisher({
      brokers: saslSsl?.brokers ?? [],
      auth: { mechanism: 'scram-sha-512', username: saslSsl?.user.name ?? '', password, ca: [saslSsl?.caPem ?? ''] },
      connectionTimeoutMs: 3_000,
      retries: 1,
      logger: silentLogger,
    });
    const route = defineRoute({ topic: 'in', publishes: [to(out)], handle: (value: unknown) => value });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    try {
      const response = await handler(buildKafkaEvent([{ topic: 'in', value: { via: 'tls' } }]), lambdaContext());
      expect(response.batchItemFailures).toEqual([]);
      return { out };
    } finally {
      await publisher.close();
    }
  };

  it.skipIf(!saslSsl)('publishes with the right credentials', async () => {
    const { out } = await publishOnce(saslSsl?.user.password ?? '');
    const received = await consume(kafka, [out], (all) => all.length >= 1);
    expect(received.map((m) => m.value?.toString())).toEqual(['{"via":"tls"}']);
  });

  it.skipIf(!saslSsl)('fails clearly with wrong credentials, without the secret in the error', async () => {
    const wrong = 'definitely-wrong-password-123';
    const error = await publishOnce(wrong).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PublishError);
    const text = `${(error as Error).message}\n${(error as Error).stack}\n${String((error as Error).cause)}`;
    expect((error as Error).message).toMatch(/scram-sha-512.*SASL SCRAM SHA512 authentication failed/s);
    expect(text).not.toContain(wrong);
  });
});

describe('Kafka publisher: broker outage', () => {
  it('fails the invocation when the broker is down at flush, and the retried batch after a restart carries the same message ids', async () => {
    const { startKafkaBroker } = await import('../../../../src/harness/local/broker/broker.js');
    const { freePort } = await import('../../../../src/harness/local/broker/ports.js');
    const port = await freePort();
    let broker = await startKafkaBroker({ port, log: () => undefined });
    const out = uniqueTopic('outage-out');
    const reports: DispatchReport[] = [];
    const publisher = createKafkaPublisher({ brokers: broker.brokers, connectionTimeoutMs: 1_000, retries: 1, logger: silentLogger });
    const route = defineRoute({ topic: 'in', publishes: [to(out)], handle: (value: unknown) => value });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), {
      publisher,
      onReport: (r) => reports.push(r),
    });
    const event = buildKafkaEvent([1, 2, 3].map((value) => ({ topic: 'in', key: 'k', value })));
    try {
      // Warm: the producer is connected, then the broker goes away before the next flush.
      await handler(buildKafkaEvent([{ topic: 'in', offset: 100, value: 0 }]), lambdaContext());
      await broker.stop();
      await expect(handler(event, lambdaContext())).rejects.toBeInstanceOf(PublishError);
      const failedIds = reports[1]?.messages.map((m) => m.headers.find(([n]) => n === 'x-message-id')?.[1].toString());

      broker = await startKafkaBroker({ port, log: () => undefined });
      await expect(handler(event, lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
      const received = await consume(testKafkaClient({ brokers: [...broker.brokers] }), [out], (all) => all.length >= 3);
      expect(received.map((m) => headerText(m, 'x-message-id'))).toEqual(failedIds);
      expect(failedIds).toHaveLength(3);
      expect(publisher.connects).toBe(2);
    } finally {
      await publisher.close();
      await broker.stop();
    }
  });
});
