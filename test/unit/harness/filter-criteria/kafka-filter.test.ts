import { describe, expect, it } from 'vitest';
import { kafkaRecordFilter } from '../../../../src/harness/filter-criteria/kafka-filter.js';
import { ConfigError } from '../../../../src/runtime/errors/index.js';

const record = (value: string | Buffer | null, key: string | null = null) => ({
  value: typeof value === 'string' ? Buffer.from(value) : value,
  key: key === null ? null : Buffer.from(key),
});

// The two patterns of https://docs.aws.amazon.com/lambda/latest/dg/kafka-filtering.html
const deviceIdStartsWithAB = { value: { device_ID: [{ prefix: 'AB' }] } };
const notError = { value: [{ 'anything-but': ['error'] }] };
const device = (id: string) => JSON.stringify({ device_ID: id, session: { start_time: '2026-12-03T10:00:00', duration: 162 } });
const nonUtf8 = Buffer.from([0xc3, 0x28, 0xff]);

describe('kafkaRecordFilter: AWS’s Kafka examples', () => {
  it('filters JSON values by field', () => {
    const keep = kafkaRecordFilter([deviceIdStartsWithAB]);
    expect(keep(record(device('AB1234')))).toBe(true);
    expect(keep(record(device('CD1234')))).toBe(false);
  });

  it('filters plain-string values as strings', () => {
    const keep = kafkaRecordFilter([notError]);
    expect(keep(record('Hello, this is a test.'))).toBe(true);
    expect(keep(record('error'))).toBe(false);
  });

  it('ORs the filters of a mapping', () => {
    const keep = kafkaRecordFilter([{ value: { n: [1] } }, { value: { n: [2] } }]);
    expect([1, 2, 3].map((n) => keep(record(JSON.stringify({ n }))))).toEqual([true, true, false]);
  });
});

describe('kafkaRecordFilter: the format table (a mismatch or non-UTF-8 leaves metadata filters only)', () => {
  // Rows of the table in https://docs.aws.amazon.com/lambda/latest/dg/kafka-filtering.html. Kafka patterns have
  // no metadata keys, so "metadata filters only" lets the record through (UNCONFIRMED reading, see kafka-filter.ts).
  const rows: Array<[string, Buffer | string | null, object, boolean]> = [
    ['plain string, plain-string pattern: filtered', 'error', notError, false],
    ['plain string, JSON pattern: metadata only', 'error', deviceIdStartsWithAB, true],
    ['JSON, plain-string pattern: metadata only', '{"device_ID":"CD"}', { value: ['nothing like it'] }, true],
    ['JSON, JSON pattern: filtered', device('CD1'), deviceIdStartsWithAB, false],
    ['non-UTF-8, JSON pattern: metadata only', nonUtf8, deviceIdStartsWithAB, true],
    ['non-UTF-8, plain-string pattern: metadata only', nonUtf8, { value: ['x'] }, true],
    ['tombstone (assumed like non-UTF-8)', null, deviceIdStartsWithAB, true],
    ['a JSON array is JSON', '[{"device_ID":"AB1"}]', deviceIdStartsWithAB, true],
    ['a bare number is a plain string, matched as written', '42', { value: ['42'] }, true],
    ['a bare number, other text', '42', { value: ['42.0'] }, false],
  ];
  for (const [name, value, pattern, delivered] of rows) {
    it(name, () => {
      expect(kafkaRecordFilter([pattern])(record(value))).toBe(delivered);
    });
  }

  it('drops only the part whose format does not fit: $or branches are judged one by one', () => {
    const keep = kafkaRecordFilter([{ $or: [{ value: { type: ['order'] } }, { value: [{ prefix: 'ORDER:' }] }] }]);
    expect(keep(record('{"type":"order"}'))).toBe(true);
    // A JSON value: the string branch is dropped (matches), so every JSON record passes this pattern.
    expect(keep(record('{"type":"refund"}'))).toBe(true);
    expect(keep(record('ORDER:1'))).toBe(true);
    // A plain string: the JSON branch is dropped and matches likewise.
    expect(keep(record('REFUND:1'))).toBe(true);
  });

  it('a JSON field named like our number nodes is still a JSON field', () => {
    const keep = kafkaRecordFilter([{ value: { kind: ['number'] } }]);
    expect(keep(record('{"kind":"number","text":"1"}'))).toBe(true);
    expect(keep(record('{"kind":"string"}'))).toBe(false);
  });
});

describe('kafkaRecordFilter: what Lambda refuses', () => {
  it('filters only on value, or on key too when a schema registry deserializes keys', () => {
    expect(() => kafkaRecordFilter([{ partition: [0] }])).toThrow(/filter only on value/);
    expect(() => kafkaRecordFilter([{ key: ['k-1'] }])).toThrow(/key needs a schema registry/);
    expect(() => kafkaRecordFilter([{ $or: [{ value: ['a'] }, { topic: ['t'] }] }])).toThrow(/\$or\[1\]\.topic/);
    const byKey = kafkaRecordFilter([{ key: { region: ['eu'] } }], { keyFilterable: true });
    expect(byKey(record('{}', '{"region":"eu"}'))).toBe(true);
    expect(byKey(record('{}', '{"region":"us"}'))).toBe(false);
  });

  it('takes 1 to 10 filters, each a valid pattern, and says which one is wrong', () => {
    expect(() => kafkaRecordFilter([])).toThrow(ConfigError);
    expect(() => kafkaRecordFilter(Array.from({ length: 11 }, () => notError))).toThrow(/1 to 10 filters, got 11/);
    expect(() => kafkaRecordFilter([notError, { value: [{ prefix: 1 }] }])).toThrow(/filterPatterns\[1\]\.value\[0\]\.prefix/);
    expect(() => kafkaRecordFilter(['value'])).toThrow(/filterPatterns\[0\]: expected an object/);
  });
});
