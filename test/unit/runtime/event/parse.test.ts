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

  it('keeps an MSK event’s cluster ARN, and ignores a non-string one on a self-managed event', () => {
    expect(
      parseKafkaEvent(buildKafkaEvent([{ topic: 't', value: 'x' }], { clusterArn: 'arn:aws:kafka:eu-west-1:1:cluster/c/u' }))
        .eventSourceArn,
    ).toBe('arn:aws:kafka:eu-west-1:1:cluster/c/u');
    const selfManaged = { ...buildKafkaEvent([{ topic: 't', value: 'x' }], { source: 'self-managed' }), eventSourceArn: 5 };
    expect(parseKafkaEvent(selfManaged).eventSourceArn).toBeUndefined();
  });

  it('splits bootstrapServers at commas, dropping empty entries, and reads none when absent', () => {
    expect(parseKafkaEvent({ ...sample(), bootstrapServers: 'a:9092,,b:9092,' }).bootstrapServers).toEqual(['a:9092', 'b:9092']);
    expect(parseKafkaEvent({ ...sample(), bootstrapServers: undefined }).bootstrapServers).toEqual([]);
  });

  it('takes a lane’s coordinates from its first record when the lane id names no partition', () => {
    const event = sample();
    event.records = { weird: event.records['orders-0'] ?? [] };
    const [lane] = parseKafkaEvent(event).lanes;
    expect([lane?.id, lane?.topic, lane?.partition]).toEqual(['weird', 'orders', 0]);
    expect(lane?.records[0]?.defect?.message).toMatch(/do not match the lane "weird"/);
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
    ['not an object', () => 'hello', '$', /expected an object, got a string of 5 characters/],
    ['null', () => null, '$', /got null/],
    ['unknown eventSource', (e) => ({ ...e, eventSource: 'aws:sqs' }), '$.eventSource', /"aws:kafka" or "SelfManagedKafka"/],
    // Names every object inherits must not pass for a known event source.
    ['eventSource "constructor"', (e) => ({ ...e, eventSource: 'constructor' }), '$.eventSource', /got a string of 11 characters/],
    ['eventSource not a string', (e) => ({ ...e, eventSource: ['aws:kafka'] }), '$.eventSource', /got an array/],
    [
      'bootstrapServers not a string',
      (e) => ({ ...e, bootstrapServers: ['b:9092'] }),
      '$.bootstrapServers',
      /comma-separated string, got an array/,
    ],
    ['MSK without ARN', (e) => ({ ...e, eventSourceArn: undefined }), '$.eventSourceArn', /cluster ARN/],
    ['records missing', (e) => ({ ...e, records: undefined }), '$.records', /keyed by/],
    ['records an array', (e) => ({ ...e, records: [] }), '$.records', /got an array/],
    ['lane not an array', (e) => ({ ...e, records: { 'orders-0': {} } }), '$.records["orders-0"]', /array of records/],
  ];

  const recordCases: Mutation[] = [
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
      /partition number 0\.\.2147483647, got a string of 4 characters/,
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
      /epoch milliseconds as an integer/,
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
      'header value a string that is not base64',
      (e) => {
        rec(e).headers = [{ a: '%%' }];
      },
      '$.records["orders-0"][0].headers[0]["a"]',
      /must be base64/,
    ],
    [
      'record filed under another lane',
      (e) => {
        rec(e).partition = 3;
      },
      '$.records["orders-0"][0]',
      /partition \(3\) do not match the lane "orders-0"/,
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
    [
      'partition beyond int32',
      (e) => {
        rec(e).partition = 2 ** 31;
      },
      '$.records["orders-0"][0].partition',
      /0\.\.2147483647/,
    ],
    [
      'timestamp beyond int64',
      (e) => {
        rec(e).timestamp = 1e300;
      },
      '$.records["orders-0"][0].timestamp',
      /integer/,
    ],
    [
      'fractional timestamp',
      (e) => {
        rec(e).timestamp = 1.5;
      },
      '$.records["orders-0"][0].timestamp',
      /integer/,
    ],
    [
      'offset beyond 2^53',
      (e) => {
        rec(e).offset = 2 ** 60;
      },
      '$.records["orders-0"][0].offset',
      /non-negative integer/,
    ],
    ...([256, -129, 1.5, 'a', null, {}] as const).map(
      (byte): Mutation => [
        `header byte ${JSON.stringify(byte)}`,
        (e) => {
          rec(e).headers = [{ ok: [1, 2] }, { a: [104, byte] }];
        },
        '$.records["orders-0"][0].headers[1]["a"][1]',
        /expected a byte \(-128\.\.255\)/,
      ],
    ),
  ];

  it.each(recordCases)(
    'keeps a record with %s as a defective record naming the path; its other records are untouched',
    (_name, mutate, path, message) => {
      const event = sample();
      mutate(event);
      const parsed = parseKafkaEvent(event);
      const lane = parsed.lanes.find((l) => l.id === 'orders-0');
      const defects = lane?.records.filter((r) => r.defect) ?? [];
      expect(defects).toHaveLength(1);
      const defect = defects[0]?.defect;
      expect(defect).toBeInstanceOf(InvalidEventError);
      expect(defect).toMatchObject({ code: 'INVALID_EVENT', path });
      expect(defect?.message).toMatch(message);
      // Coordinates stay where Lambda filed the record, so it can be reported and dead-lettered.
      expect(defects[0]).toMatchObject({ topic: 'orders', partition: 0 });
      expect(parsed.lanes.find((l) => l.id === 'orders-1')?.records.every((r) => !r.defect)).toBe(true);
    },
  );

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

describe('parseKafkaEvent: the variants real samples use', () => {
  it('reads eventSource "aws:SelfManagedKafka" (Powertools for Python samples) as SelfManagedKafka', () => {
    const event = { ...sample(), eventSource: 'aws:SelfManagedKafka', eventSourceArn: undefined };
    expect(parseKafkaEvent(event).eventSource).toBe('SelfManagedKafka');
  });

  it('reads a header value given as a base64 string (older AWS docs, the Java runtime) as its bytes', () => {
    const event = sample();
    recordOf(event, 'orders-0').headers = [{ 'content-type': Buffer.from('application/json').toString('base64') }];
    const record = parseKafkaEvent(event).lanes[0]?.records[0];
    expect(record?.defect).toBeUndefined();
    expect(record?.headers.get('content-type')).toBe('application/json');
  });

  it('decodes Java-signed header bytes (-128..-1) and unsigned ones (128..255) to the same bytes', () => {
    const event = sample();
    recordOf(event, 'orders-0').headers = [{ signed: [-61, -87] }, { unsigned: [195, 169] }];
    const record = parseKafkaEvent(event).lanes[0]?.records[0];
    expect(record?.headers.get('signed')).toBe('é');
    expect(record?.headers.bytes('signed')).toEqual(record?.headers.bytes('unsigned'));
  });
});

describe('parseKafkaEvent: record-level defects', () => {
  it('infers the offset of a record whose own offset is unusable from its neighbours', () => {
    const event = sample();
    (event.records['orders-0'] as Array<Record<string, unknown>>).push({ ...recordOf(event, 'orders-0', 1), offset: 2 });
    recordOf(event, 'orders-0', 1).offset = 'one';
    recordOf(event, 'orders-0', 0).offset = null;
    const records = parseKafkaEvent(event).lanes[0]?.records ?? [];
    expect(records.map((r) => [r.offset, r.defect?.path])).toEqual([
      [0, '$.records["orders-0"][0].offset'],
      [1, '$.records["orders-0"][1].offset'],
      [2, undefined],
    ]);
  });

  it('throws for the event only when no offset in a lane can be inferred', () => {
    const event = sample();
    recordOf(event, 'orders-1').offset = 'x';
    expect(() => parseKafkaEvent(event)).toThrow(InvalidEventError);
  });

  it('names fields without quoting their content (a key or value may be a secret)', () => {
    const event = sample();
    recordOf(event, 'orders-0').timestamp = 'card=4111111111111111';
    recordOf(event, 'orders-1').eventSource = undefined;
    const record = parseKafkaEvent(event).lanes[0]?.records[0];
    expect(record?.defect?.message).toMatch(/a string of 21 characters/);
    expect(record?.defect?.message).not.toContain('4111');
  });
});
