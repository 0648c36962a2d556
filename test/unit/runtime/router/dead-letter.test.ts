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
    expect(header(message.headers, DLT_HEADERS.originalTopic)?.toString()).toBe('orders');
    expect(header(message.headers, DLT_HEADERS.originalPartition)).toEqual(Buffer.from([0, 0, 0, 3]));
    expect(header(message.headers, DLT_HEADERS.originalOffset)).toEqual(Buffer.from([0, 0, 0, 1, 0, 0, 0, 5]));
    expect(header(message.headers, DLT_HEADERS.originalTimestamp)?.readBigInt64BE()).toBe(1_700_000_000_123n);
    expect(header(message.headers, DLT_HEADERS.originalTimestampType)?.toString()).toBe('LogAppendTime');
    expect(header(message.headers, DLT_HEADERS.exceptionFqcn)?.toString()).toBe('PermanentError');
    expect(header(message.headers, DLT_HEADERS.exceptionMessage)?.toString()).toBe('bad total');
    expect(header(message.headers, DLT_HEADERS.exceptionStacktrace)?.toString()).toMatch(/^PermanentError: bad total\n\s+at /);
    expect(Object.values(DLT_HEADERS).every((name) => name.startsWith('kafka_dlt-'))).toBe(true);
  });

  it('carries the original bytes even when the value is not valid base64', () => {
    const event = mutableEvent([{ topic: 'orders', value: 'x' }]);
    recordOf(event, 'orders-0').value = 'eyJh*Ijox';
    const record = parseKafkaEvent(event).lanes[0]?.records[0];
    if (!record) throw new Error('no record');
    const message = deadLetterMessage('dlt', record, new Error('undecodable'));
    expect(message.value?.toString()).toBe('{"a":1');
  });
});
