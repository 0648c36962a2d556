import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { recordAdmission } from '../../../../../src/harness/local/emulator/admission.js';
import type { EventSourceSettings, FunctionStats } from '../../../../../src/harness/local/emulator/types.js';

const stats = (): FunctionStats => ({
  invocations: 0,
  records: 0,
  failures: 0,
  redeliveries: 0,
  sentToDestination: 0,
  filteredOut: 0,
  durationsMs: [],
});
const source = (extra: Partial<EventSourceSettings> = {}): EventSourceSettings => ({ kind: 'msk', topic: 'orders', ...extra });
const record = (offset: number, value: string, partition = 0) => ({ topic: 'orders', partition, offset, value: Buffer.from(value) });

/** The two admin calls AT_TIMESTAMP makes, answered as the broker would; the real broker is in emulator-admission.test.ts. */
const kafkaAnswering = (
  committed: Array<{ partition: number; offset: string }>,
  atTimestamp: Array<{ partition: number; offset: string }>,
) =>
  ({
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchOffsets: async () => [{ topic: 'orders', partitions: committed }],
      fetchTopicOffsetsByTimestamp: async () => atTimestamp,
    }),
  }) as unknown as Kafka;

describe('recordAdmission', () => {
  it('admits everything without filters or a timestamp, from the beginning by default', () => {
    const admission = recordAdmission(source(), stats());
    expect(admission.fromBeginning).toBe(true);
    expect(admission.leftOut(record(0, 'anything'))).toBe(false);
  });

  it('leaves out records no filter matches, counting them', () => {
    const counters = stats();
    const admission = recordAdmission(source({ filterPatterns: [{ value: { type: ['order'] } }] }), counters);
    expect(admission.leftOut(record(0, '{"type":"order"}'))).toBe(false);
    expect(admission.leftOut(record(1, '{"type":"refund"}'))).toBe(true);
    expect(counters.filteredOut).toBe(1);
  });

  it('with a schema registry, filters only once decoded (the raw bytes are not what Lambda filters)', () => {
    const counters = stats();
    const registry = { uri: 'http://127.0.0.1:1', eventRecordFormat: 'SOURCE' as const, attributes: ['VALUE' as const] };
    const admission = recordAdmission(
      source({ schemaRegistry: registry, filterPatterns: [{ value: { qty: [{ numeric: ['>', 2] }] } }] }),
      counters,
    );
    expect(admission.leftOut(record(0, 'avro bytes'))).toBe(false);
    expect(admission.filteredAfterDecoding(record(0, 'avro bytes'), { value: Buffer.from('{"qty":1}') })).toBe(true);
    expect(admission.filteredAfterDecoding(record(1, 'avro bytes'), { value: Buffer.from('{"qty":3}') })).toBe(false);
    expect(counters.filteredOut).toBe(1);
  });

  it('AT_TIMESTAMP leaves out records before each uncommitted partition’s start (not counted as filtered)', async () => {
    const counters = stats();
    const admission = recordAdmission(source({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1_764_756_000 }), counters);
    await admission.prepare(
      kafkaAnswering(
        [
          { partition: 0, offset: '-1' },
          { partition: 1, offset: '3' },
        ],
        [
          { partition: 0, offset: '5' },
          { partition: 1, offset: '9' },
        ],
      ),
      'group',
    );
    expect([4, 5, 6].map((offset) => admission.leftOut(record(offset, 'x')))).toEqual([true, false, false]);
    // Partition 1 has a committed offset: the group's offsets win.
    expect(admission.leftOut(record(3, 'x', 1))).toBe(false);
    expect(counters.filteredOut).toBe(0);
  });

  it('refuses a bad pattern or position when the mapping is set up', () => {
    expect(() => recordAdmission(source({ filterPatterns: [{ partition: [0] }] }), stats())).toThrow(/filter only on value/);
    expect(() => recordAdmission(source({ startingPosition: 'AT_TIMESTAMP' }), stats())).toThrow(/startingPositionTimestamp/);
  });
});
