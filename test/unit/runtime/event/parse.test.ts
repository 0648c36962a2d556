import { describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { InvalidEventError } from '../../../../src/runtime/errors/index.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { type MutableEvent, recordOf } from '../../../support/events.js';

const sample = (): MutableEvent =>
  JSON.parse(
    JSON.stringify(
      buildKafkaEvent(
        [
          { topic: 'orders', partition: 0, key: 'k1', value: { id: 1 }, headers: { 'content-type': 'application/json' } },
          { topic: 'orders', partition: 1, key: 'k2', value: { id: 2 } },
          { topic: 'orders', partition: 0, key: 'k3', value: { id: 3 } },
        ],
        { timestamp: 1_700_000_000_000 },
      ),
    ),
  );

describe('parseKafkaEvent', () => {
  it('groups records into one lane per topic-partition, in offset order', () => {
    const parsed = parseKafkaEvent(sample());
    expect(parsed.eventSource).toBe('aws:kafka');
    expect(parsed.recordCount).toBe(3);
    expect(parsed.lanes.map((l) => [l.id, l.records.map((r) => r.offset)])).toEqual([
      ['orders-0', [0, 1]],
      ['orders-1', [0]],
    ]);
    expect(parsed.bootstrapServers.length).toBeGreaterThan(0);
  });

  it('accepts a self-managed event without eventSourceArn', () => {
    const parsed = parseKafkaEvent(
      buildKafkaEvent([{ topic: 't', value: 'x' }], { source: 'self-managed', bootstrapServers: ['a:9092', 'b:9092'] }),
    );
    expect(parsed.eventSource).toBe('SelfManagedKafka');
    expect(parsed.eventSourceArn).toBeUndefined();
    expect(parsed.bootstrapServers).toEqual(['a:9092', 'b:9092']);
  });

  it('accepts partition as a string, as older AWS samples send it', () => {
    const event = sample();
    recordOf(event, 'orders-1').partition = '1';
    const lane = parseKafkaEvent(event).lanes.find((l) => l.id === 'orders-1');
    expect(lane?.partition).toBe(1);
    expect(lane?.records[0]?.partition).toBe(1);
  });

  it('returns no lanes for empty records', () => {
    expect(parseKafkaEvent({ ...sample(), records: {} }).lanes).toEqual([]);
    expect(parseKafkaEvent({ ...sample(), records: { 'orders-0': [] } }).lanes).toEqual([]);
  });

  it('keeps schema-registry metadata', () => {
    const event = buildKafkaEvent([
      { topic: 't', value: 'x', valueSchemaMetadata: { dataFormat: 'AVRO', schemaId: '42' }, keySchemaMetadata: { dataFormat: 'JSON' } },
    ]);
    const record = parseKafkaEvent(event).lanes[0]?.records[0];
    expect(record?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: '42' });
    expect(record?.keySchemaMetadata).toEqual({ dataFormat: 'JSON' });
  });

  type JsonRecord = Record<string, unknown>;
  type JsonEvent = MutableEvent;
  // A mutation edits the event in place, or returns a replacement for it.
  type Mutation = [string, (event: JsonEvent) => unknown, string, RegExp];
  const rec = (event: JsonEvent): JsonRecord => event.records['orders-0']?.[0] as JsonRecord;
  const cases: Mutation[] = [
    ['not an object', () => 'hello', '$', /expected an object, got "hello"/],
    ['null', () => null, '$', /got null/],
    ['unknown eventSource', (e) => ({ ...e, eventSource: 'aws:sqs' }), '$.eventSource', /"aws:kafka" or "SelfManagedKafka"/],
    ['the old aws:SelfManagedKafka source', (e) => ({ ...e, eventSource: 'aws:SelfManagedKafka' }), '$.eventSource', /SelfManagedKafka/],
    ['MSK without ARN', (e) => ({ ...e, eventSourceArn: undefined }), '$.eventSourceArn', /cluster ARN/],
    ['records missing', (e) => ({ ...e, records: undefined }), '$.records', /keyed by/],
    ['records an array', (e) => ({ ...e, records: [] }), '$.records', /got an array/],
    ['lane not an array', (e) => ({ ...e, records: { 'orders-0': {} } }), '$.records["orders-0"]', /array of records/],
    [
      'record not an object',
      (e) => {
        (e.records['orders-0'] as unknown[])[1] = 5;
      },
      '$.records["orders-0"][1]',
      /record object, got 5/,
    ],
    [
      'topic missing',
      (e) => {
        delete rec(e).topic;
      },
      '$.records["orders-0"][0].topic',
      /topic name/,
    ],
    [
      'partition not numeric',
      (e) => {
        rec(e).partition = 'zero';
      },
      '$.records["orders-0"][0].partition',
      /partition number, got "zero"/,
    ],
    [
      'negative offset',
      (e) => {
        rec(e).offset = -1;
      },
      '$.records["orders-0"][0].offset',
      /non-negative integer/,
    ],
    [
      'fractional offset',
      (e) => {
        rec(e).offset = 1.5;
      },
      '$.records["orders-0"][0].offset',
      /non-negative integer/,
    ],
    [
      'timestamp missing',
      (e) => {
        delete rec(e).timestamp;
      },
      '$.records["orders-0"][0].timestamp',
      /epoch milliseconds/,
    ],
    [
      'timestampType a number',
      (e) => {
        rec(e).timestampType = 1;
      },
      '$.records["orders-0"][0].timestampType',
      /string/,
    ],
    [
      'key a number',
      (e) => {
        rec(e).key = 12;
      },
      '$.records["orders-0"][0].key',
      /base64 string or null/,
    ],
    [
      'value an object',
      (e) => {
        rec(e).value = { a: 1 };
      },
      '$.records["orders-0"][0].value',
      /base64 string or null/,
    ],
    [
      'headers an object',
      (e) => {
        rec(e).headers = { a: [1] };
      },
      '$.records["orders-0"][0].headers',
      /array of \{name: bytes\}/,
    ],
    [
      'header value a string',
      (e) => {
        rec(e).headers = [{ a: 'x' }];
      },
      '$.records["orders-0"][0].headers[0].a',
      /array of bytes/,
    ],
    [
      'record filed under another lane',
      (e) => {
        rec(e).partition = 3;
      },
      '$.records["orders-0"][0]',
      /orders-3 is filed under "orders-0"/,
    ],
    [
      'offsets going backwards',
      (e) => {
        ((e.records['orders-0'] as JsonRecord[])[1] as JsonRecord).offset = 0;
      },
      '$.records["orders-0"][1].offset',
      /must increase/,
    ],
    [
      'bad schema metadata',
      (e) => {
        rec(e).valueSchemaMetadata = { schemaId: 1 };
      },
      '$.records["orders-0"][0].valueSchemaMetadata',
      /dataFormat/,
    ],
  ];

  it.each(cases)('rejects %s with an InvalidEventError naming the path', (_name, mutate, path, message) => {
    let error: unknown;
    try {
      const event = sample();
      const replaced = mutate(event);
      parseKafkaEvent(replaced === undefined ? event : replaced);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error).toMatchObject({ code: 'INVALID_EVENT', path });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(message);
  });
});
