import { describe, expect, it } from 'vitest';
import {
  BATCH_SIZES,
  brokerCases,
  caseName,
  cpuCases,
  type GrowthCase,
  growthEvent,
  growthRoute,
  POISON_EVERY,
  poisonCount,
} from '../../../../bench/growth/cases.js';
import { createMemoryPublisher } from '../../../../src/harness/testing/memory-publisher.js';
import type { RawKafkaRecord } from '../../../../src/runtime/event/types.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { createRouter } from '../../../../src/runtime/router/router.js';

const topics = { outputs: ['out-a', 'out-b', 'out-c'], deadLetter: 'orders.bench-DLT' };
const values = (records: readonly RawKafkaRecord[]) =>
  records.map((r) => JSON.parse(Buffer.from(r.value as string, 'base64').toString('utf8')) as { id: number; qty: unknown });

describe('growth bench cases', () => {
  it('cover the issue: both route kinds × 1, 4, 16 partitions × dead letters off/on × 0 and 3 outputs, each once', () => {
    const cases = cpuCases();
    expect(cases).toHaveLength(24);
    expect(new Set(cases.map(caseName)).size).toBe(24);
    expect(new Set(cases.map((c) => c.route))).toEqual(new Set(['record', 'batch']));
    expect(new Set(cases.map((c) => c.partitions))).toEqual(new Set([1, 4, 16]));
    expect(new Set(cases.map((c) => c.outputs))).toEqual(new Set([0, 3]));
    expect(new Set(cases.map((c) => c.deadLetters))).toEqual(new Set([false, true]));
    expect([...BATCH_SIZES]).toEqual([1, 10, 100, 1_000, 10_000]);
    // Every broker case is also a CPU case, so its CPU twin is in the same run.
    for (const b of brokerCases()) expect(cases.map(caseName)).toContain(caseName(b));
    expect(brokerCases().map(caseName)).toEqual([
      'record · 4 partitions · 3 outputs',
      'record · 4 partitions · 3 outputs · dead letters',
      'batch · 4 partitions · 3 outputs',
      'batch · 4 partitions · 3 outputs · dead letters',
    ]);
  });

  it('build events of the asked size over the asked partitions, with one record in ten poisoned when dead letters are on', () => {
    for (const [size, partitions] of [
      [1, 1],
      [10, 4],
      [95, 16],
    ] as const) {
      const clean = growthEvent(size, partitions, false);
      const poisoned = growthEvent(size, partitions, true);
      const cleanRecords = Object.values(clean.records).flat();
      const poisonedRecords = Object.values(poisoned.records).flat();
      expect(cleanRecords).toHaveLength(size);
      expect(Object.keys(clean.records)).toHaveLength(Math.min(size, partitions));
      expect(values(cleanRecords).every((v) => typeof v.qty === 'number')).toBe(true);
      const bad = values(poisonedRecords).filter((v) => typeof v.qty !== 'number');
      expect(bad).toHaveLength(poisonCount(size, true));
      expect(bad).toHaveLength(Math.floor(size / POISON_EVERY));
      // Only the value changes: same lanes, offsets and keys.
      expect(poisonedRecords.map((r) => [r.topic, r.partition, r.offset, r.key])).toEqual(
        cleanRecords.map((r) => [r.topic, r.partition, r.offset, r.key]),
      );
    }
    expect(poisonCount(100, false)).toBe(0);
  });

  it.each(cpuCases().map((c) => [caseName(c), c] as const))(
    '%s handles, dead-letters and publishes what it claims',
    async (_, c: GrowthCase) => {
      const size = 35;
      const publisher = createMemoryPublisher();
      const router = createRouter({ routes: [growthRoute(c, topics)], unmatched: 'fail', logger: silentLogger });
      const handler = createKafkaHandler(router, { publisher });
      const response = await handler(growthEvent(size, c.partitions, c.deadLetters), { getRemainingTimeInMillis: () => 60_000 } as never);
      expect(response.batchItemFailures).toEqual([]);
      const poison = c.deadLetters ? 3 : 0;
      expect(publisher.topic(topics.deadLetter)).toHaveLength(poison);
      for (const [i, topic] of topics.outputs.entries()) {
        expect(publisher.topic(topic)).toHaveLength(i < c.outputs ? size - poison : 0);
      }
      expect(publisher.messages).toHaveLength((size - poison) * c.outputs + poison);
      // The outputs are the transform of the input order, keyed by the input key.
      const first = publisher.messages.find((m) => m.kind === 'output');
      if (c.outputs > 0) {
        expect(JSON.parse(String(first?.value))).toMatchObject({ amount: expect.any(Number), qty: expect.any(Number) });
        expect(String(first?.key)).toMatch(/^customer-\d+$/);
      } else expect(first).toBeUndefined();
    },
  );
});
