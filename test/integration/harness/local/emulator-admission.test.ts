// What reaches batches in the ESM emulator, on the real broker: filter criteria (records matching no filter are
// committed and never invoked) and starting positions (AT_TIMESTAMP, honoured only without committed offsets).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../../src/harness/local/emulator/emulator.js';
import type { EmulatedFunction, EventSourceSettings, Invoker } from '../../../../src/harness/local/emulator/types.js';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { waitFor } from '../../../support/run-cli.js';

const kafka = testKafkaClient();
const admin = kafka.admin();
const running: RunningEmulator[] = [];
beforeAll(() => admin.connect());
afterAll(async () => {
  for (const emulator of running) await emulator.stop();
  await admin.disconnect();
});

/** Runs one function on `source`, recording each invocation's record coordinates as `partition@offset`. */
async function emulate(source: Omit<EventSourceSettings, 'kind'>) {
  const invocations: string[][] = [];
  const invoke: Invoker = async (event) => {
    invocations.push(
      Object.values(event.records)
        .flat()
        .map((r) => `${r.partition}@${r.offset}`),
    );
    return { batchItemFailures: [] };
  };
  const fn: EmulatedFunction = {
    name: `fn-${source.topic}`,
    invoke,
    eventSources: [{ kind: 'msk', maximumBatchingWindow: 0, ...source }],
    timeout: 30,
  };
  const emulator = await startEmulator({ brokers: testKafka().brokers, functions: [fn], logger: silentLogger, retryDelayMs: 20 });
  running.push(emulator);
  await emulator.joined();
  return { invocations, stats: emulator.stats.get(fn.name), groupId: emulator.groups.get(`${fn.name}/${source.topic}`) ?? '' };
}

async function produce(topic: string, messages: Array<{ value: string; partition?: number; timestamp?: number }>) {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: messages.map((m) => ({
      value: m.value,
      partition: m.partition ?? 0,
      ...(m.timestamp !== undefined ? { timestamp: String(m.timestamp) } : {}),
    })),
  });
  await producer.disconnect();
}

const committed = async (groupId: string, topic: string, partition = 0) => {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Number(offsets?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
};

describe('ESM emulator: filter criteria', () => {
  it('invokes with matching records only, and commits the filtered ones without an invocation', async () => {
    const topic = uniqueTopic('emu-filter');
    await createTopics(admin, [{ topic }]);
    const { invocations, stats, groupId } = await emulate({ topic, batchSize: 10, filterPatterns: [{ value: { type: ['order'] } }] });
    await produce(topic, [
      { value: JSON.stringify({ type: 'order', n: 0 }) },
      { value: JSON.stringify({ type: 'refund', n: 1 }) },
      // A plain string against a JSON pattern: metadata filters only, so it is delivered (AWS's format table).
      { value: 'not json' },
      { value: JSON.stringify({ type: 'order', n: 3 }) },
      { value: JSON.stringify({ type: 'refund', n: 4 }) },
    ]);
    await waitFor(async () => (await committed(groupId, topic)) === 5, 60_000, 'offset 5 committed');
    expect(invocations.flat()).toEqual(['0@0', '0@2', '0@3']);
    expect(stats?.filteredOut).toBe(2);

    // A fetch of filtered records only: committed, and no invocation at all.
    const before = invocations.length;
    await produce(topic, [{ value: '{"type":"refund"}' }, { value: '{"type":"refund"}' }]);
    await waitFor(async () => (await committed(groupId, topic)) === 7, 60_000, 'offset 7 committed');
    expect(invocations.length).toBe(before);
    expect(stats).toMatchObject({ filteredOut: 4, records: 3 });
  }, 120_000);
});

describe('ESM emulator: starting positions', () => {
  it('LATEST skips what was there before the start; TRIM_HORIZON reads it', async () => {
    const topic = uniqueTopic('emu-latest');
    await createTopics(admin, [{ topic }]);
    await produce(topic, [{ value: 'before-0' }, { value: 'before-1' }]);
    const latest = await emulate({ topic, startingPosition: 'LATEST' });
    const horizon = await emulate({ topic, startingPosition: 'TRIM_HORIZON', consumerGroupId: `${topic}-horizon` });
    // LATEST is the end when the consumer first asks for it, a moment after joining: produce until one arrives.
    for (let n = 0; latest.invocations.length === 0; n++) {
      if (n > 60) throw new ConfigError('LATEST never delivered a record produced after the start');
      await produce(topic, [{ value: `after-${n}` }]);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const delivered = latest.invocations.flat();
    expect(delivered).not.toContain('0@0');
    expect(delivered).not.toContain('0@1');
    await waitFor(async () => horizon.invocations.flat().length >= 3, 60_000, 'TRIM_HORIZON delivered');
    expect(horizon.invocations.flat().slice(0, 3)).toEqual(['0@0', '0@1', '0@2']);
  }, 120_000);

  it('AT_TIMESTAMP starts each partition at the first record at or after the time', async () => {
    const topic = uniqueTopic('emu-at-ts');
    await createTopics(admin, [{ topic, numPartitions: 2 }]);
    const t = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    await produce(topic, [
      { value: 'old-0', timestamp: t - 2_000 },
      { value: 'old-1', timestamp: t - 1_000 },
      { value: 'at-t', timestamp: t },
      { value: 'after-t', timestamp: t + 1_000 },
      // Partition 1 has only older records: it starts at its end.
      { value: 'old-p1', partition: 1, timestamp: t - 500 },
    ]);
    const { invocations, groupId } = await emulate({ topic, startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: t / 1000 });
    await produce(topic, [{ value: 'new-p1', partition: 1 }]);
    await waitFor(
      async () => (await committed(groupId, topic, 0)) === 4 && (await committed(groupId, topic, 1)) === 2,
      60_000,
      'both partitions committed',
    );
    expect(invocations.flat().sort()).toEqual(['0@2', '0@3', '1@1']);
  }, 120_000);

  it('AT_TIMESTAMP is ignored where the group already has a committed offset, as on AWS', async () => {
    const topic = uniqueTopic('emu-at-ts-committed');
    await createTopics(admin, [{ topic }]);
    const t = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    await produce(
      topic,
      [t - 3_000, t - 2_000, t - 1_000, t].map((timestamp, n) => ({ value: `r${n}`, timestamp })),
    );
    const groupId = `${topic}-group`;
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] });
    const { invocations } = await emulate({
      topic,
      consumerGroupId: groupId,
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestamp: t / 1000,
    });
    await waitFor(async () => (await committed(groupId, topic)) === 4, 60_000, 'offset 4 committed');
    expect(invocations.flat()).toEqual(['0@1', '0@2', '0@3']);
  }, 120_000);
});
