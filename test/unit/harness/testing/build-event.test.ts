import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildKafkaEvent, type EventMessage } from '../../../../src/harness/testing/build-event.js';
import { InvalidEventError } from '../../../../src/runtime/errors/index.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';

describe('buildKafkaEvent', () => {
  it('builds the MSK shape: base64 key/value, byte-array headers, per-partition offsets', () => {
    const event = buildKafkaEvent(
      [
        { topic: 'orders', partition: 0, key: 'a', value: { n: 1 }, headers: { h: 'v' } },
        { topic: 'orders', partition: 1, value: 'plain' },
        { topic: 'orders', partition: 0, value: null },
      ],
      { timestamp: 1, firstOffset: 10, clusterArn: 'arn:aws:kafka:eu-west-1:1:cluster/c/x' },
    );
    expect(event).toEqual({
      eventSource: 'aws:kafka',
      eventSourceArn: 'arn:aws:kafka:eu-west-1:1:cluster/c/x',
      bootstrapServers: expect.any(String),
      records: {
        'orders-0': [
          {
            topic: 'orders',
            partition: 0,
            offset: 10,
            timestamp: 1,
            timestampType: 'CREATE_TIME',
            key: 'YQ==',
            value: 'eyJuIjoxfQ==',
            headers: [{ h: [118] }],
          },
          { topic: 'orders', partition: 0, offset: 11, timestamp: 1, timestampType: 'CREATE_TIME', key: null, value: null, headers: [] },
        ],
        'orders-1': [
          {
            topic: 'orders',
            partition: 1,
            offset: 10,
            timestamp: 1,
            timestampType: 'CREATE_TIME',
            key: null,
            value: 'cGxhaW4=',
            headers: [],
          },
        ],
      },
    });
  });

  it('refuses offsets that go backwards within a partition', () => {
    expect(() =>
      buildKafkaEvent([
        { topic: 't', offset: 5, value: 1 },
        { topic: 't', offset: 3, value: 2 },
      ]),
    ).toThrow(InvalidEventError);
  });

  it('round-trips through parseKafkaEvent for any messages (property)', () => {
    const message = fc.record({
      topic: fc.constantFrom('a', 'b.c', 'orders-v2'),
      partition: fc.integer({ min: 0, max: 3 }),
      key: fc.option(fc.string(), { nil: null }),
      value: fc.oneof(
        fc.string(),
        fc.constant(null),
        fc.jsonValue().filter((v) => typeof v !== 'string' && v !== null),
      ),
      headers: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string()), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 40 }), (messages) => {
        const parsed = parseKafkaEvent(JSON.parse(JSON.stringify(buildKafkaEvent(messages as EventMessage[], { timestamp: 5 }))));
        expect(parsed.recordCount).toBe(messages.length);
        for (const lane of parsed.lanes) {
          const expected = messages.filter((m) => `${m.topic}-${m.partition}` === lane.id);
          expect(lane.records.map((r) => r.offset)).toEqual(expected.map((_, i) => i));
          lane.records.forEach((record, i) => {
            const m = expected[i] as (typeof expected)[number];
            expect(record.key).toBe(m.key);
            const value = m.value === null ? null : typeof m.value === 'string' ? m.value : JSON.stringify(m.value);
            expect(record.valueBytes?.toString('utf8') ?? null).toBe(value);
            expect(record.headers.list.map((h) => [h.name, h.value.toString('utf8')])).toEqual(m.headers);
          });
        }
      }),
    );
  });
});
