import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../../src/runtime/errors/index.js';
import { laneCoordinates, parseLaneRecords } from '../../../../src/runtime/event/parse-record.js';
import type { InboundRecord } from '../../../../src/runtime/event/record.js';

type Raw = Record<string, unknown>;
const raw = (fields: Raw = {}): Raw => ({
  topic: 'orders',
  partition: 3,
  offset: 10,
  timestamp: 1_700_000_000_000,
  timestampType: 'CREATE_TIME',
  key: Buffer.from('k').toString('base64'),
  value: Buffer.from('v').toString('base64'),
  headers: [],
  ...fields,
});
const parseOne = (fields: Raw, laneId = 'orders-3'): InboundRecord =>
  parseLaneRecords([raw(fields)], `$.records["${laneId}"]`, laneId)[0] as InboundRecord;
const without = (...names: string[]): Raw => {
  const record = raw();
  for (const name of names) delete record[name];
  return record;
};
const parseRaw = (record: Raw, laneId = 'orders-3'): InboundRecord =>
  parseLaneRecords([record], `$.records["${laneId}"]`, laneId)[0] as InboundRecord;

describe('laneCoordinates', () => {
  it('splits "<topic>-<partition>" at the last dash (topics may contain dashes)', () => {
    expect(laneCoordinates('orders-3')).toEqual({ topic: 'orders', partition: 3 });
    expect(laneCoordinates('my-orders-v2-12')).toEqual({ topic: 'my-orders-v2', partition: 12 });
    expect(laneCoordinates('orders--1')).toEqual({ topic: 'orders-', partition: 1 });
  });

  it('is undefined when there is no topic, no dash or no partition number', () => {
    for (const id of ['orders', '-3', 'orders-', 'orders-x', 'orders-1.5', 'orders-2147483648']) {
      expect(laneCoordinates(id), id).toBeUndefined();
    }
  });
});

describe('parseLaneRecords: a well-formed record', () => {
  it('keeps every field, with nothing flagged', () => {
    const record = parseOne({ keySchemaMetadata: { dataFormat: 'JSON' }, valueSchemaMetadata: { dataFormat: 'AVRO', schemaId: '42' } });
    expect(record.defect).toBeUndefined();
    expect([record.topic, record.partition, record.offset, record.timestamp, record.timestampType]).toEqual([
      'orders',
      3,
      10,
      1_700_000_000_000,
      'CREATE_TIME',
    ]);
    expect(record.keySchemaMetadata).toEqual({ dataFormat: 'JSON' });
    expect(record.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: '42' });
    expect(record.rawText).toBe(0);
    expect(record.rawHeadersText).toBeUndefined();
  });

  it('accepts absent or null key, value, headers and schema metadata', () => {
    for (const record of [
      parseRaw(without('key', 'value', 'headers')),
      parseOne({ key: null, value: null, headers: null, keySchemaMetadata: null, valueSchemaMetadata: null }),
    ]) {
      expect(record.defect).toBeUndefined();
      expect([record.key, record.isTombstone, record.headers.list, record.keySchemaMetadata]).toEqual([null, true, [], undefined]);
      expect(record.rawText).toBe(0);
    }
  });

  it('accepts a partition given as a decimal string, and the int32 bounds', () => {
    expect(parseOne({ partition: '3' }).defect).toBeUndefined();
    expect(parseOne({ partition: '12' }, 'orders-12').partition).toBe(12);
    expect(parseOne({ partition: 0 }, 'orders-0').defect).toBeUndefined();
    expect(parseOne({ partition: 2_147_483_647 }, 'orders-2147483647').partition).toBe(2_147_483_647);
  });

  it('accepts header bytes at both ends of the signed and unsigned ranges', () => {
    const record = parseOne({ headers: [{ low: [-128, 0] }, { high: [255] }] });
    expect(record.defect).toBeUndefined();
    expect([...(record.headers.bytes('low') ?? [])]).toEqual([128, 0]);
    expect([...(record.headers.bytes('high') ?? [])]).toEqual([255]);
  });

  it('reads base64 string headers next to byte-array headers, each in its own form', () => {
    const record = parseOne({ headers: [{ a: Buffer.from('from base64').toString('base64') }, { b: [104, 105] }, { c: 'aGk=', d: [33] }] });
    expect(record.defect).toBeUndefined();
    expect(record.headers.list.map((h) => [h.name, h.value.toString()])).toEqual([
      ['a', 'from base64'],
      ['b', 'hi'],
      ['c', 'hi'],
      ['d', '!'],
    ]);
  });

  it('drops a schemaId that is not a string', () => {
    expect(parseOne({ valueSchemaMetadata: { dataFormat: 'AVRO', schemaId: 42 } }).valueSchemaMetadata).toEqual({ dataFormat: 'AVRO' });
  });
});

describe('parseLaneRecords: record-level defects', () => {
  const defectOf = (fields: Raw, laneId = 'orders-3') => {
    const record = parseOne(fields, laneId);
    return record.defect && { path: record.defect.path, message: record.defect.message };
  };

  it('flags an empty topic', () => {
    expect(defectOf({ topic: '' })?.path).toBe('$.records["orders-3"][0].topic');
  });

  it('flags partitions that are not int32 integers, including strings Number() would accept', () => {
    for (const partition of [-1, 1.5, 2_147_483_648, true, [3], ' 3', '3 ', '0x3', '3e0', '', '12345678901']) {
      expect(defectOf({ partition })?.path, String(partition)).toBe('$.records["orders-3"][0].partition');
    }
  });

  it('flags a record filed under another topic or partition than its lane', () => {
    expect(defectOf({ topic: 'payments' })?.message).toMatch(/do not match the lane "orders-3"/);
    expect(defectOf({ partition: 4 })?.message).toMatch(/its topic and partition \(4\) do not match the lane "orders-3"/);
  });

  it('flags headers that are not {name: bytes} entries', () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{}, '.headers', /expected an array of \{name: bytes\} objects, got an object/],
      [[5], '.headers[0]', /expected \{name: bytes\}, got 5/],
      [[{ a: 5 }], '.headers[0]["a"]', /expected an array of bytes, got 5/],
      [[{ a: [256] }], '.headers[0]["a"][0]', /expected a byte \(-128\.\.255\), got 256/],
      [[{ a: [-129] }], '.headers[0]["a"][0]', /got -129/],
      [[{ a: [1.5] }], '.headers[0]["a"][0]', /got 1\.5/],
      [[{ a: '%%%' }], '.headers[0]["a"]', /a header given as a string must be base64 \(3 characters\)/],
    ];
    for (const [headers, path, message] of cases) {
      const record = parseOne({ headers });
      expect(record.defect?.path).toBe(`$.records["orders-3"][0]${path}`);
      expect(record.defect?.message).toMatch(message);
      // The headers as the event carried them, for the dead letter.
      expect(record.rawHeadersText).toBe(JSON.stringify(headers));
      expect(record.headers.list).toEqual([]);
    }
  });

  it('flags malformed schema metadata by its field', () => {
    expect(defectOf({ keySchemaMetadata: { schemaId: '1' } })?.path).toBe('$.records["orders-3"][0].keySchemaMetadata');
    expect(defectOf({ valueSchemaMetadata: 'AVRO' })?.message).toMatch(/expected \{dataFormat, schemaId\?\}, got a string of 4 characters/);
  });

  it('keeps unusable timestamps and types as -1 and NO_TIMESTAMP_TYPE', () => {
    const record = parseOne({ timestamp: 'yesterday', timestampType: 5 });
    expect(record.defect?.path).toBe('$.records["orders-3"][0].timestamp');
    expect([record.timestamp, record.timestampType]).toEqual([-1, 'NO_TIMESTAMP_TYPE']);
    expect(parseRaw(without('timestampType')).timestampType).toBe('NO_TIMESTAMP_TYPE');
  });

  it('keeps a key or value that is not a string as its JSON text, flagged as text', () => {
    // 1234 is also valid base64: only the flag tells a dead letter to carry the text itself.
    const record = parseOne({ key: 1234, value: { amount: 5 } });
    expect(record.defect?.path).toBe('$.records["orders-3"][0].key');
    expect([record.rawKey, record.rawValue, record.rawText]).toEqual(['1234', '{"amount":5}', 3]);
    expect(parseOne({ value: [1] }).rawText).toBe(2);
    // Strings and absent parts are not text: a dead letter decodes them as usual.
    const other = parseOne({ timestamp: 'late', key: null, value: undefined });
    expect([other.defect?.path, other.rawText]).toEqual(['$.records["orders-3"][0].timestamp', 0]);
    expect(parseOne({ timestamp: 'late' }).rawText).toBe(0);
  });

  it('keeps a defective record’s valid headers as headers, not as raw text', () => {
    const record = parseOne({ timestamp: 'late', headers: [{ trace: [49] }] });
    expect(record.defect?.path).toBe('$.records["orders-3"][0].timestamp');
    expect(record.rawHeadersText).toBeUndefined();
    expect(record.headers.get('trace')).toBe('1');
  });

  it('reports a defective record at its lane’s coordinates, not at the ones it claims', () => {
    const record = parseOne({ topic: 'payments', partition: 5 }, 'orders-3');
    expect([record.topic, record.partition]).toEqual(['orders', 3]);
    const invalid = parseOne({ topic: 5, partition: 'x' }, 'orders-3');
    expect([invalid.topic, invalid.partition]).toEqual(['orders', 3]);
  });

  it('falls back to the lane id, then to partition -1, when the lane id names no partition', () => {
    const invalid = parseOne({ topic: 5, partition: 'x' }, 'weird');
    expect([invalid.topic, invalid.partition, invalid.defect?.path]).toEqual(['weird', -1, '$.records["weird"][0].topic']);
    expect(parseOne({ topic: '' }, 'weird').topic).toBe('weird');
    const claimed = parseOne({ topic: 'orders', partition: 3 }, 'weird');
    expect([claimed.topic, claimed.partition]).toEqual(['orders', 3]);
    expect(claimed.defect?.message).toMatch(/do not match the lane "weird"/);
  });
});

describe('parseLaneRecords: offsets', () => {
  const offsetsOf = (offsets: unknown[]) =>
    parseLaneRecords(
      offsets.map((offset) => raw({ offset })),
      '$.records["orders-3"]',
      'orders-3',
    ).map((r) => [r.offset, r.defect?.path ?? null]);

  it('infers unusable leading offsets back from the first usable one', () => {
    expect(offsetsOf(['x', null, 7])).toEqual([
      [5, '$.records["orders-3"][0].offset'],
      [6, '$.records["orders-3"][1].offset'],
      [7, null],
    ]);
  });

  it('throws, naming the record, when inferring would need a negative offset', () => {
    let error: unknown;
    try {
      offsetsOf(['x', null, 1]);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).path).toBe('$.records["orders-3"][0].offset');
    expect((error as InvalidEventError).message).toMatch(
      /no usable offset in this record or its neighbours, so it cannot be reported to Lambda/,
    );
  });

  it('flags an offset that does not increase', () => {
    expect(offsetsOf([4, 4])[1]).toEqual([4, '$.records["orders-3"][1].offset']);
  });
});
