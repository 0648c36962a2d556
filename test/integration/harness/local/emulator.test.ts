import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateOrdersSample } from '../../../../functions/samples.js';
import { type RunningEmulator, startEmulator } from '../../../../src/harness/local/emulator/emulator.js';
import type { EmulatedFunction, EventSourceSettings, Invoker } from '../../../../src/harness/local/emulator/types.js';
import type { EventMessage } from '../../../../src/harness/testing/build-event.js';
import { PermanentError } from '../../../../src/runtime/errors/index.js';
import type { KafkaEvent, RawKafkaRecord } from '../../../../src/runtime/event/types.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { createKafkaPublisher } from '../../../../src/runtime/publish/kafka.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { setEnv } from '../../../support/env.js';
import { consume, createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { waitFor } from '../../../support/run-cli.js';

const kafka = testKafkaClient();
const admin = kafka.admin();
const running: RunningEmulator[] = [];
beforeAll(() => admin.connect());
afterAll(async () => {
  for (const emulator of running) await emulator.stop();
  await admin.disconnect();
});

async function emulate(invoke: Invoker, source: Omit<EventSourceSettings, 'kind'>, numPartitions = 1) {
  await createTopics(admin, [{ topic: source.topic, numPartitions }]);
  const fn: EmulatedFunction = {
    name: `fn-${source.topic}`,
    invoke,
    eventSources: [{ kind: 'msk', maximumBatchingWindow: 0, ...source }],
    timeout: 30,
  };
  const emulator = await startEmulator({ brokers: testKafka().brokers, functions: [fn], logger: silentLogger, retryDelayMs: 20 });
  running.push(emulator);
  return { emulator, stats: emulator.stats.get(fn.name), groupId: emulator.groups.get(`${fn.name}/${source.topic}`) ?? '' };
}

async function produce(
  topic: string,
  messages: Array<{ key?: string; value: unknown; partition?: number; headers?: Record<string, string> }>,
) {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: messages.map((m) => ({
      key: m.key ?? null,
      value: m.value === null ? null : JSON.stringify(m.value),
      partition: m.partition ?? 0,
      headers: m.headers ?? {},
    })),
  });
  await producer.disconnect();
}

const committedOffset = async (groupId: string, topic: string, partition = 0) => {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Number(offsets?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
};

describe('ESM emulator', () => {
  it('honours a partial batch response: commits before the failed record and redelivers from it', async () => {
    const topic = uniqueTopic('emu-partial');
    const calls: number[][] = [];
    let failedOnce = false;
    const router = createRouter({
      routes: [
        defineRoute({
          topic,
          retry: { attempts: 1 },
          handle: (_v: unknown, ctx) => {
            if (ctx.record.offset === 2 && !failedOnce) {
              failedOnce = true;
              throw new Error('transient');
            }
          },
        }),
      ],
      unmatched: 'fail',
      logger: silentLogger,
    });
    const handler = createKafkaHandler(router);
    const invoke: Invoker = async (event, context) => {
      calls.push(
        Object.values(event.records)
          .flat()
          .map((r) => r.offset),
      );
      return handler(event, context);
    };
    await produce(
      topic,
      [0, 1, 2, 3, 4].map((n) => ({ value: n })),
    );
    const { stats, groupId } = await emulate(invoke, { topic, batchSize: 10 });
    await waitFor(async () => (await committedOffset(groupId, topic)) === 5, 60_000);
    expect(calls[0]).toEqual([0, 1, 2, 3, 4]);
    // Redelivered from the failed offset; records before it were committed and not sent again.
    expect(calls[1]).toEqual([2, 3, 4]);
    expect(calls).toHaveLength(2);
    expect(stats).toMatchObject({ invocations: 2, failures: 3, redeliveries: 3 });
  });

  it('dead-letters a poison pill and keeps the partition moving, with no redelivery', async () => {
    const topic = uniqueTopic('emu-poison');
    const deadLetters = `${topic}.DLT`;
    await createTopics(admin, [{ topic: deadLetters }]);
    const handled: number[] = [];
    const router = createRouter({
      routes: [
        defineRoute({
          topic,
          deadLetter: true,
          handle: (value: unknown, ctx) => {
            if ((value as { poison?: boolean }).poison) throw new PermanentError('poison');
            handled.push(ctx.record.offset);
          },
        }),
      ],
      unmatched: 'fail',
      logger: silentLogger,
    });
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, logger: silentLogger });
    const { stats, groupId } = await emulate(createKafkaHandler(router, { publisher }), { topic, batchSize: 2 });
    await produce(topic, [{ value: { n: 0 } }, { value: { poison: true } }, { value: { n: 2 } }, { value: { n: 3 } }]);
    await waitFor(async () => (await committedOffset(groupId, topic)) === 4, 60_000);
    await publisher.close();
    expect(handled).toEqual([0, 2, 3]);
    expect(stats?.redeliveries).toBe(0);
    const letters = await consume(kafka, [deadLetters], (all) => all.length >= 1);
    expect(letters.map((m) => m.value?.toString())).toEqual(['{"poison":true}']);
  });

  it('closes batches at the batch size, and builds events of exactly the events/ shape', async () => {
    const topic = uniqueTopic('emu-batch');
    const events: KafkaEvent[] = [];
    const invoke: Invoker = async (event) => {
      events.push(event);
      return { batchItemFailures: [] };
    };
    const { groupId } = await emulate(invoke, { topic, batchSize: 3, maximumBatchingWindow: 1 }, 2);
    // The validateOrders sample messages (keys, values, headers, tombstone, 2 partitions), twice.
    const sample = [...validateOrdersSample, ...validateOrdersSample].map((m: EventMessage) => ({
      key: m.key as string,
      value: m.value,
      partition: m.partition ?? 0,
      headers: m.headers as Record<string, string> | undefined,
    }));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: sample.map((m) => ({
        key: m.key,
        value: m.value === null ? null : JSON.stringify(m.value),
        partition: m.partition,
        headers: m.headers ?? {},
      })),
    });
    await producer.disconnect();
    await waitFor(
      async () => (await committedOffset(groupId, topic, 0)) + (await committedOffset(groupId, topic, 1)) === sample.length,
      60_000,
    );

    const records = events.flatMap((e) => Object.values(e.records).flat());
    expect(records).toHaveLength(sample.length);
    for (const event of events) expect(Object.values(event.records).flat().length).toBeLessThanOrEqual(3);
    // Same structure as the committed sample event, record for record (topic, offsets and timestamps aside).
    const committed = JSON.parse(readFileSync(new URL('../../../../events/validate-orders.json', import.meta.url), 'utf8')) as KafkaEvent;
    expect(Object.keys(events[0] ?? {}).sort()).toEqual(Object.keys(committed).sort());
    expect(events[0]?.bootstrapServers).toBe(testKafka().brokers.join(','));
    const comparable = (r: RawKafkaRecord) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      partition: r.partition,
      fields: Object.keys(r).sort(),
    });
    for (const partition of [0, 1]) {
      const expected = Object.values(committed.records)
        .flat()
        .filter((r) => r.partition === partition)
        .map(comparable);
      const actual = records.filter((r) => r.partition === partition).map(comparable);
      expect(actual).toEqual([...expected, ...expected]);
    }
  });

  it('reports each topic’s timestamp type: the producer’s time on CreateTime topics, the broker’s on LogAppendTime ones', async () => {
    const records: RawKafkaRecord[] = [];
    const invoke: Invoker = async (event) => {
      records.push(...Object.values(event.records).flat());
      return { batchItemFailures: [] };
    };
    const created = uniqueTopic('emu-create-time');
    const appended = uniqueTopic('emu-log-append-time');
    await admin.createTopics({
      topics: [
        { topic: created, numPartitions: 1 },
        { topic: appended, numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] },
      ],
      waitForLeaders: true,
    });
    await emulate(invoke, { topic: created });
    await emulate(invoke, { topic: appended });
    const producedAt = Date.now() - 3_600_000; // an hour ago, so the broker's own time cannot be mistaken for it
    const producer = kafka.producer();
    await producer.connect();
    for (const topic of [created, appended])
      await producer.send({ topic, acks: -1, messages: [{ value: '{}', timestamp: String(producedAt) }] });
    await producer.disconnect();
    await waitFor(() => records.length === 2, 60_000);

    const byTopic = new Map(records.map((r) => [r.topic, r]));
    expect(byTopic.get(created)).toMatchObject({ timestampType: 'CREATE_TIME', timestamp: producedAt });
    expect(byTopic.get(appended)?.timestampType).toBe('LOG_APPEND_TIME');
    expect(byTopic.get(appended)?.timestamp).toBeGreaterThan(producedAt + 3_000_000);
  });

  it('delivers the whole batch again when the function throws', async () => {
    const topic = uniqueTopic('emu-throw');
    const calls: number[][] = [];
    const invoke: Invoker = async (event) => {
      calls.push(
        Object.values(event.records)
          .flat()
          .map((r) => r.offset),
      );
      if (calls.length === 1) throw new Error('function crashed');
      return { batchItemFailures: [] };
    };
    await produce(
      topic,
      [0, 1, 2].map((n) => ({ value: n })),
    );
    const { stats, groupId } = await emulate(invoke, { topic, batchSize: 10 });
    await waitFor(async () => (await committedOffset(groupId, topic)) === 3, 60_000);
    expect(calls).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(stats).toMatchObject({ invocations: 2, failures: 3, redeliveries: 3 });
  });

  it('bisects a failing batch and, after the retry cap, sends the culprit to the kafka:// destination', async () => {
    const topic = uniqueTopic('emu-bisect');
    const destination = uniqueTopic('emu-bisect-failed');
    await createTopics(admin, [{ topic: destination }]);
    const calls: number[][] = [];
    const invoke: Invoker = async (event) => {
      const offsets = Object.values(event.records)
        .flat()
        .map((r) => r.offset);
      calls.push(offsets);
      if (offsets.includes(2)) throw new Error('record 2 crashes the function');
      return { batchItemFailures: [] };
    };
    await produce(
      topic,
      [0, 1, 2, 3].map((n) => ({ key: `k${n}`, value: n })),
    );
    const { stats, groupId } = await emulate(invoke, {
      topic,
      batchSize: 4,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 2,
      onFailureDestination: `kafka://${destination}`,
    });
    await waitFor(async () => (await committedOffset(groupId, topic)) === 4, 60_000);
    expect(calls[0]).toEqual([0, 1, 2, 3]);
    expect(calls[1]).toEqual([0, 1]); // bisected
    expect(calls.flat().filter((o) => o === 3).length).toBeGreaterThan(0);
    expect(stats?.sentToDestination).toBe(1);
    const [failure] = await consume(kafka, [destination], (all) => all.length >= 1);
    expect(failure?.key?.toString()).toBe('k2');
    expect(JSON.parse(failure?.value?.toString() ?? '{}')).toMatchObject({
      requestContext: { condition: 'RetriesExhausted' },
      KafkaBatchInfo: { topic, startOffset: 2 },
    });
  });
});

describe('the example pipeline through the emulator (npm run demo)', () => {
  it('reconciles every order: validated, rejected or dead-lettered, then reserved and notified twice', async () => {
    const { runDemo } = await import('../../../../scripts/demo.js');
    // Its own broker: the demo's consumer groups read the app's topics from the beginning.
    const restoreEnv = setEnv({ KAFKA_BROKERS: undefined });
    try {
      const lines: string[] = [];
      const summary = await runDemo({ orders: 400, write: (line) => lines.push(line) });
      expect(summary.reconciled, lines.join('\n')).toBe(true);
      expect(summary.expected.poison).toBeGreaterThan(0);
      expect(summary.counts['orders.placed.DLT']).toBe(summary.expected.poison);
      expect(summary.counts['notifications.sms']).toBe(summary.expected.valid);
      expect(lines.join('\n')).toMatch(/✔ reconciled/);
    } finally {
      restoreEnv();
    }
  });
});
