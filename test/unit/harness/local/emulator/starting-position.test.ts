import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startingPlan, timestampStarts } from '../../../../../src/harness/local/emulator/starting-position.js';
import { ConfigError } from '../../../../../src/runtime/errors/index.js';

describe('startingPlan', () => {
  it('reads LATEST from the end and TRIM_HORIZON (the default, as osls’s) from the beginning', () => {
    expect(startingPlan({ startingPosition: 'LATEST' })).toEqual({ fromBeginning: false });
    expect(startingPlan({ startingPosition: 'TRIM_HORIZON' })).toEqual({ fromBeginning: true });
    expect(startingPlan({})).toEqual({ fromBeginning: true });
  });

  it('takes AT_TIMESTAMP’s time in Unix seconds, as CloudFormation’s StartingPositionTimestamp', () => {
    expect(startingPlan({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1_764_756_000 })).toEqual({
      fromBeginning: true,
      timestampMs: 1_764_756_000_000,
    });
    expect(startingPlan({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1.5 }).timestampMs).toBe(1500);
  });

  it('refuses AT_TIMESTAMP without a time, and an unknown position, with a ConfigError', () => {
    expect(() => startingPlan({ startingPosition: 'AT_TIMESTAMP' })).toThrow(ConfigError);
    expect(() => startingPlan({ startingPosition: 'AT_TIMESTAMP' })).toThrow(/needs startingPositionTimestamp/);
    expect(() => startingPlan({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: -1 })).toThrow(
      /needs startingPositionTimestamp/,
    );
    expect(() => startingPlan({ startingPosition: 'EARLIEST' })).toThrow(/expected LATEST, TRIM_HORIZON or AT_TIMESTAMP/);
  });
});

describe('timestampStarts', () => {
  it('starts only the partitions the group has no offset for, at the offset found for the time', () => {
    const committed = [
      { partition: 0, offset: '-1' },
      { partition: 1, offset: '17' },
    ];
    const atTimestamp = [
      { partition: 0, offset: '5' },
      { partition: 1, offset: '9' },
      { partition: 2, offset: '0' },
    ];
    expect([...timestampStarts(committed, atTimestamp)]).toEqual([
      [0, 5],
      [2, 0],
    ]);
  });

  it('never overrides a committed offset (property: the group’s offsets win)', () => {
    const offsets = fc.array(fc.record({ partition: fc.integer({ min: 0, max: 7 }), offset: fc.integer({ min: -1, max: 50 }) }), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(offsets, offsets, (committed, found) => {
        const asText = (list: typeof committed) => list.map((p) => ({ partition: p.partition, offset: String(p.offset) }));
        const starts = timestampStarts(asText(committed), asText(found));
        for (const { partition, offset } of committed) if (offset >= 0) expect(starts.has(partition)).toBe(false);
        for (const [partition] of starts) expect(found.some((p) => p.partition === partition)).toBe(true);
      }),
    );
  });
});
