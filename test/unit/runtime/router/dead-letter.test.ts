import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { DecodeError, PermanentError } from '../../../../src/runtime/errors/index.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { type DeadLetterSource, DLT_HEADERS, deadLetterMessage } from '../../../../src/runtime/router/dead-letter.js';
import { mutableEvent, recordOf } from '../../../support/events.js';

const header = (headers: ReadonlyArray<readonly [string, Buffer]>, name: string) => headers.find(([n]) => n === name)?.[1];

describe('deadLetterMessage', () => {
  it('keeps key, value and headers, and adds Spring’s kafka_dlt-* headers in Spring’s encoding', () => {
    const event = buildKafkaEvent(
      [
        {
          topic: 'orders',
          partition: 3,
          offset: 4_294_967_301,
          key: 'k',
          value: { a: 1 },
          headers: [
            ['trace', 't1'],
            ['trace', 't2'],
          ],
          timestampType: 'LOG_APPEND_TIME',
        },
      ],
      { timestamp: 1_700_000_000_123 },
    );
    const record = parseKafkaEvent(event).lanes[0]?.records[0];
    if (!record) throw new Error('no record');
    const message = deadLetterMessage('orders.DLT', record, new PermanentError('bad total'));

    expect(message.topic).toBe('orders.DLT');
    expect(message.key?.toString()).toBe('k');
    expect(message.value?.toString()).toBe('{"a":1}');
    expect(message.headers.slice(0, 2).map(([n, v]) => [n, v.toString()])).toEqual([
      ['trace', 't1'],
      ['trace', 't2'],
    ]);
    expect(header(message.headers, 'kafka_dlt-original-topic')?.toString()).toBe('orders');
    expect(header(message.headers, 'kafka_dlt-original-partition')).toEqual(Buffer.from([0, 0, 0, 3]));
    expect(header(message.headers, 'kafka_dlt-original-offset')).toEqual(Buffer.from([0, 0, 0, 1, 0, 0, 0, 5]));
    expect(header(message.headers, 'kafka_dlt-original-timestamp')?.readBigInt64BE()).toBe(1_700_000_000_123n);
    expect(header(message.headers, 'kafka_dlt-original-timestamp-type')?.toString()).toBe('LogAppendTime');
    expect(header(message.headers, 'kafka_dlt-exception-fqcn')?.toString()).toBe('PermanentError');
    expect(header(message.headers, 'kafka_dlt-exception-message')?.toString()).toBe('bad total');
    expect(header(message.headers, 'kafka_dlt-exception-stacktrace')?.toString()).toMatch(/^PermanentError: bad total\n\s+at /);
    // Spring's KafkaHeaders.DLT_* values, as literals: a misspelt constant of ours must fail here.
    expect(Object.values(DLT_HEADERS).sort()).toEqual([
      'kafka_dlt-exception-fqcn',
      'kafka_dlt-exception-message',
      'kafka_dlt-exception-stacktrace',
      'kafka_dlt-original-offset',
      'kafka_dlt-original-partition',
      'kafka_dlt-original-timestamp',
      'kafka_dlt-original-timestamp-type',
      'kafka_dlt-original-topic',
    ]);
  });

  it('carries a key or value that is not valid base64 as the event text, unchanged, and says so in a header', () => {
    const event = mutableEvent([{ topic: 'orders', key: 'k', value: 'x' }]);
    recordOf(event, 'orders-0').value = 'eyJh*Ijox';
    recordOf(event, 'orders-0').key = '%%%';
    const record = parseKafkaEvent(event).lanes[0]?.records[0];
    if (!record) throw new Error('no record');
    const message = deadLetterMessage('dlt', record, new PermanentError('undecodable'));
    expect(message.value?.toString('utf8')).toBe('eyJh*Ijox');
    expect(message.key?.toString('utf8')).toBe('%%%');
    expect(message.headers.filter(([name]) => name === 'x-dlt-not-base64').map(([, v]) => v.toString())).toEqual(['key', 'value']);
  });

  it('keeps valid base64 as its decoded bytes, with no not-base64 header', () => {
    const record = parseKafkaEvent(buildKafkaEvent([{ topic: 'orders', key: 'k', value: 'v' }])).lanes[0]?.records[0];
    if (!record) throw new Error('no record');
    const message = deadLetterMessage('dlt', record, new PermanentError('x'));
    expect([message.key?.toString(), message.value?.toString()]).toEqual(['k', 'v']);
    expect(header(message.headers, 'x-dlt-not-base64')).toBeUndefined();
  });

  it('carries a malformed record as its JSON text: a non-string value and broken headers are kept', () => {
    const event = mutableEvent([{ topic: 'orders', value: 'x' }]);
    recordOf(event, 'orders-0').value = { amount: 5 };
    recordOf(event, 'orders-0').headers = [{ a: [300] }];
    const record = parseKafkaEvent(event).lanes[0]?.records[0];
    if (!record?.defect) throw new Error('expected a defective record');
    const message = deadLetterMessage('dlt', record, record.defect);
    expect(message.value?.toString()).toBe('{"amount":5}');
    expect(header(message.headers, 'x-dlt-not-base64')?.toString()).toBe('value');
    expect(header(message.headers, 'x-dlt-invalid-headers')?.toString()).toBe('[{"a":[300]}]');
    expect(header(message.headers, 'kafka_dlt-exception-fqcn')?.toString()).toBe('InvalidEventError');
  });

  it('describes a non-Error throw by its type only', () => {
    const record = parseKafkaEvent(buildKafkaEvent([{ topic: 'orders', value: 'v' }])).lanes[0]?.records[0];
    if (!record) throw new Error('no record');
    const message = deadLetterMessage('dlt', record, 'card=4111111111111111');
    expect(header(message.headers, 'kafka_dlt-exception-message')?.toString()).toBe('non-Error thrown: string');
  });

  it('names the timestamp type as Spring does, and describes a non-Error throw in every exception header', () => {
    const record = parseKafkaEvent(buildKafkaEvent([{ topic: 'orders', value: 'v', timestampType: 'CREATE_TIME' }])).lanes[0]?.records[0];
    if (!record) throw new Error('no record');
    const message = deadLetterMessage('dlt', record, 42);
    expect(header(message.headers, 'kafka_dlt-original-timestamp-type')?.toString()).toBe('CreateTime');
    expect(header(message.headers, 'kafka_dlt-exception-fqcn')?.toString()).toBe('NonErrorThrown');
    expect(header(message.headers, 'kafka_dlt-exception-stacktrace')?.toString()).toBe('NonErrorThrown: non-Error thrown: number');
    const stackless = Object.assign(new PermanentError('no stack'), { stack: undefined });
    expect(header(deadLetterMessage('dlt', record, stackless).headers, 'kafka_dlt-exception-stacktrace')?.toString()).toBe(
      'PermanentError: no stack',
    );
  });

  it('derives the message id from origin "dead-letter" unless a route is named', () => {
    const record = parseKafkaEvent(buildKafkaEvent([{ topic: 'orders', partition: 1, offset: 9, value: 'v' }])).lanes[0]?.records[0];
    if (!record) throw new Error('no record');
    const id = (origin: string) => {
      const hex = createHash('sha256').update([origin, 'orders', '1', '9', 'dead-letter', '0'].join('\u0000')).digest('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    };
    expect(header(deadLetterMessage('dlt', record, new Error('x')).headers, 'x-message-id')?.toString()).toBe(id('dead-letter'));
    expect(header(deadLetterMessage('dlt', record, new Error('x'), 'orders-route').headers, 'x-message-id')?.toString()).toBe(
      id('orders-route'),
    );
    expect(deadLetterMessage('dlt', record, new Error('x'))).toMatchObject({
      source: { topic: 'orders', partition: 1, offset: 9 },
      sequence: 0,
      kind: 'dead-letter',
    });
  });

  it('carries a non-string key or value that happens to be valid base64 as its text, not as decoded bytes', () => {
    const event = mutableEvent([{ topic: 'orders', key: 'k', value: 'v' }]);
    recordOf(event, 'orders-0').key = 1234; // "1234" is valid base64 too
    const keyOnly = parseKafkaEvent(event).lanes[0]?.records[0];
    if (!keyOnly) throw new Error('no record');
    const message = deadLetterMessage('dlt', keyOnly, keyOnly.defect);
    expect(message.key?.toString()).toBe('1234');
    expect(message.value?.toString()).toBe('v');
    expect(message.headers.filter(([name]) => name === 'x-dlt-not-base64').map(([, v]) => v.toString())).toEqual(['key']);

    const valueEvent = mutableEvent([{ topic: 'orders', key: 'k', value: 'v' }]);
    recordOf(valueEvent, 'orders-0').value = 5678;
    const valueOnly = parseKafkaEvent(valueEvent).lanes[0]?.records[0];
    if (!valueOnly) throw new Error('no record');
    const valueMessage = deadLetterMessage('dlt', valueOnly, valueOnly.defect);
    expect([valueMessage.key?.toString(), valueMessage.value?.toString()]).toEqual(['k', '5678']);
    expect(valueMessage.headers.filter(([name]) => name === 'x-dlt-not-base64').map(([, v]) => v.toString())).toEqual(['value']);
  });

  it('throws rather than drop a part it can neither decode nor carry as text', () => {
    const record = parseKafkaEvent(buildKafkaEvent([{ topic: 'orders', key: 'k', value: 'v' }])).lanes[0]?.records[0];
    if (!record) throw new Error('no record');
    const undecodable = new DecodeError('key', 'not valid base64 (3 characters)', record);
    const source = (fields: PropertyDescriptorMap) => Object.create(record, fields) as DeadLetterSource;
    const failingKey = {
      keyBytes: {
        get: () => {
          throw undecodable;
        },
      },
    };
    // No event text to fall back on: the record's key would be lost.
    expect(() => deadLetterMessage('dlt', source({ ...failingKey, rawKey: { value: undefined } }), new Error('x'))).toThrow(undecodable);
    expect(() => deadLetterMessage('dlt', source({ ...failingKey, rawKey: { value: null } }), new Error('x'))).toThrow(undecodable);
    // Not a decoding failure: not ours to paper over.
    const bug = new Error('bug');
    expect(() =>
      deadLetterMessage(
        'dlt',
        source({
          keyBytes: {
            get: () => {
              throw bug;
            },
          },
        }),
        new Error('x'),
      ),
    ).toThrow(bug);
    // With the text at hand, it is carried and flagged.
    const carried = deadLetterMessage('dlt', source({ ...failingKey, rawKey: { value: '%%%' } }), new Error('x'));
    expect(carried.key?.toString()).toBe('%%%');
    // A text flag with no text: nothing to carry.
    expect(deadLetterMessage('dlt', source({ rawText: { value: 1 }, rawKey: { value: undefined } }), new Error('x')).key).toBeNull();
    expect(deadLetterMessage('dlt', source({ rawText: { value: 1 }, rawKey: { value: null } }), new Error('x')).key).toBeNull();
  });
});
