import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchIsFull,
  MAX_PAYLOAD_BYTES,
  type PendingRecord,
  recordBytes,
  takeBatch,
} from '../../../../../src/harness/local/emulator/batcher.js';
import { buildKafkaEvent } from '../../../../../src/harness/testing/build-event.js';

const pending = (offset: number, bytes: number): PendingRecord => ({
  message: { topic: 't', partition: 0, offset, value: null },
  bytes,
  attempts: 0,
});

describe('ESM batching rules', () => {
  it('closes a batch at batchSize records, taking from the front in order', () => {
    const queue = [0, 1, 2, 3, 4].map((o) => pending(o, 10));
    expect(takeBatch(queue, 3).map((r) => r.message.offset)).toEqual([0, 1, 2]);
    expect(queue.map((r) => r.message.offset)).toEqual([3, 4]);
  });

  it('closes a batch before the payload would pass 6 MB, but always takes at least one record', () => {
    const queue = [pending(0, 4 * 1024 * 1024), pending(1, 3 * 1024 * 1024), pending(2, 10)];
    expect(takeBatch(queue, 100).map((r) => r.message.offset)).toEqual([0]);
    expect(takeBatch([pending(0, 7 * 1024 * 1024)], 100)).toHaveLength(1);
    expect(batchIsFull([pending(0, 4 * 1024 * 1024), pending(1, 3 * 1024 * 1024)], 100)).toBe(true);
    expect(batchIsFull([pending(0, 10)], 2)).toBe(false);
  });

  it('never exceeds the size or byte limits and keeps order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 * 1024 * 1024 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 1, max: 20 }),
        (sizes, batchSize) => {
          const queue = sizes.map((bytes, offset) => pending(offset, bytes));
          const seen: number[] = [];
          while (queue.length > 0) {
            const batch = takeBatch(queue, batchSize);
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(batchSize);
            if (batch.length > 1) expect(batch.reduce((sum, r) => sum + r.bytes, 0)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
            seen.push(...batch.map((r) => r.message.offset));
          }
          expect(seen).toEqual(sizes.map((_, offset) => offset));
        },
      ),
    );
  });

  it('estimates at least the real JSON size of a record in an event', () => {
    const message = {
      topic: 'orders',
      partition: 0,
      offset: 0,
      key: 'k'.repeat(20),
      value: 'v'.repeat(5_000),
      headers: { traceparent: 'x'.repeat(55) },
    };
    const actual = JSON.stringify(Object.values(buildKafkaEvent([message]).records)[0]?.[0]).length;
    expect(recordBytes(message)).toBeGreaterThanOrEqual(actual);
    expect(recordBytes(message)).toBeLessThan(actual * 1.2);
  });
});
