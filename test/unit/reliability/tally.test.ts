import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Delivery, firstAccountedTimes, tally } from '../../reliability/support/tally.js';

const copy = (partition: number, offset: number, key: string, id: string | undefined, source: [number, number]): Delivery => ({
  partition,
  offset,
  key,
  messageId: id,
  source: { partition: source[0], offset: source[1] },
  timestamp: 1_000 + offset,
});

describe('tally', () => {
  it('counts a run with a duplicate, a dead letter and a lost record', () => {
    // Input partition 0 holds 4 records: 0 and 1 handled (1 twice), 2 dead-lettered, 3 never seen.
    const outputs = [copy(0, 0, 'a', 'id-0', [0, 0]), copy(0, 1, 'a', 'id-1', [0, 1]), copy(0, 2, 'a', 'id-1', [0, 1])];
    const deadLetters = [copy(0, 0, 'a', 'dl-2', [0, 2])];
    expect(tally([4], outputs, deadLetters)).toEqual({
      inputs: 4,
      distinctOutputs: 2,
      handled: 2,
      deadLettered: 1,
      handledAndDeadLettered: 0,
      duplicates: 1,
      mismatchedIds: 0,
      lost: 1,
      orderViolations: 0,
      unknownSources: 0,
    });
  });

  it('flags a duplicate that carries another id than its first copy, and a copy without an id', () => {
    const outputs = [copy(0, 0, 'a', 'id-0', [0, 0]), copy(0, 1, 'a', 'other', [0, 0]), copy(0, 2, 'a', undefined, [0, 1])];
    const result = tally([2], outputs, []);
    expect(result.mismatchedIds).toBe(2);
    expect(result.lost).toBe(0);
  });

  it('flags a key whose first deliveries come out of input order, but not its redeliveries', () => {
    const inOrderWithRedelivery = [
      copy(0, 0, 'a', 'id-0', [0, 0]),
      copy(0, 1, 'a', 'id-1', [0, 1]),
      copy(0, 2, 'a', 'id-0', [0, 0]), // a redelivered copy: not a first delivery
      copy(0, 3, 'a', 'id-2', [0, 2]),
    ];
    expect(tally([3], inOrderWithRedelivery, []).orderViolations).toBe(0);
    const swapped = [copy(0, 0, 'a', 'id-1', [0, 1]), copy(0, 1, 'a', 'id-0', [0, 0])];
    expect(tally([2], swapped, []).orderViolations).toBe(1);
    // Different keys are independent.
    const twoKeys = [copy(0, 0, 'b', 'id-1', [0, 1]), copy(0, 1, 'a', 'id-0', [0, 0])];
    expect(tally([2], twoKeys, []).orderViolations).toBe(0);
  });

  it('counts deliveries naming no input record apart', () => {
    expect(tally([1], [copy(0, 0, 'a', 'x', [0, 0]), copy(0, 1, 'a', 'y', [0, 7]), copy(0, 2, 'a', 'z', [3, 0])], []).unknownSources).toBe(
      2,
    );
  });

  it('takes the earliest copy of each input as the moment it was accounted for', () => {
    const first = copy(0, 5, 'a', 'id-0', [0, 0]);
    const later = { ...copy(0, 1, 'a', 'id-0', [0, 0]), timestamp: 9_000 };
    const other = { ...copy(0, 2, 'a', 'dl-1', [0, 1]), timestamp: 1_500 };
    expect(firstAccountedTimes([later, other, first])).toEqual([1_005, 1_500]);
  });

  it('recovers the fates of a simulated at-least-once pipeline (property)', () => {
    const fate = fc.constantFrom('output', 'dead-letter', 'lost');
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.record({ fate, copies: fc.integer({ min: 1, max: 3 }) }), { maxLength: 25 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (partitions, outputPartitions, shuffles) => {
          const logs: { out: Delivery[][]; dead: Delivery[][] } = {
            out: Array.from({ length: outputPartitions }, () => []),
            dead: [[]],
          };
          const later: Array<{ kind: 'out' | 'dead'; partition: number; key: string; id: string; source: [number, number] }> = [];
          let expectedLost = 0;
          let expectedDuplicates = 0;
          for (const [p, records] of partitions.entries()) {
            for (const [offset, record] of records.entries()) {
              const key = `k${offset % 3}`;
              const id = `${p}/${offset}`;
              if (record.fate === 'lost') {
                expectedLost++;
                continue;
              }
              const kind = record.fate === 'output' ? 'out' : 'dead';
              const partition = kind === 'out' ? (p + (offset % 3)) % outputPartitions : 0;
              const log = logs[kind][partition] as Delivery[];
              log.push(copy(partition, log.length, key, id, [p, offset]));
              for (let extra = 1; extra < record.copies; extra++) {
                later.push({ kind, partition, key, id, source: [p, offset] });
                expectedDuplicates++;
              }
            }
          }
          // Redelivered copies land later, in any order.
          for (const [i, n] of shuffles.entries()) {
            if (later.length < 2) break;
            const a = i % later.length;
            const b = n % later.length;
            [later[a], later[b]] = [later[b] as (typeof later)[number], later[a] as (typeof later)[number]];
          }
          for (const extra of later) {
            const log = logs[extra.kind][extra.partition] as Delivery[];
            log.push(copy(extra.partition, log.length, extra.key, extra.id, extra.source));
          }
          const result = tally(
            partitions.map((records) => records.length),
            logs.out.flat(),
            logs.dead.flat(),
          );
          expect(result.lost).toBe(expectedLost);
          expect(result.duplicates).toBe(expectedDuplicates);
          expect(result.mismatchedIds).toBe(0);
          expect(result.orderViolations).toBe(0);
          expect(result.handled + result.deadLettered + result.lost).toBe(result.inputs);
        },
      ),
    );
  });
});
