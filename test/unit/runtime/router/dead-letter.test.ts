import { describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { PermanentError } from '../../../../src/runtime/errors/index.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { DLT_HEADERS, deadLetterMessage } from '../../../../src/runtime/router/dead-letter.js';
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
});
