import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { toEventMessage } from '../../../../../src/harness/local/emulator/consumed-record.js';

// kafkajs hands each consumed message its record batch's context (untyped): 0 = CreateTime, 1 = LogAppendTime.
const consumed = (timestampType: number | undefined, headers: KafkaMessage['headers'] = {}): KafkaMessage =>
  ({
    key: Buffer.from('k'),
    value: Buffer.from('{"a":1}'),
    timestamp: '1700000000000',
    attributes: 0,
    offset: '41',
    headers,
    ...(timestampType === undefined ? {} : { batchContext: { timestampType } }),
  }) as KafkaMessage;

describe('toEventMessage', () => {
  it('keeps coordinates, key, value and timestamp as numbers and bytes', () => {
    expect(toEventMessage('orders', 2, consumed(0))).toEqual({
      topic: 'orders',
      partition: 2,
      offset: 41,
      key: Buffer.from('k'),
      value: Buffer.from('{"a":1}'),
      headers: [],
      timestamp: 1_700_000_000_000,
      timestampType: 'CREATE_TIME',
    });
  });

  it.each([
    [1, 'LOG_APPEND_TIME'],
    [0, 'CREATE_TIME'],
    [undefined, 'CREATE_TIME'],
  ] as const)('reports batch timestamp type %s as %s', (code, type) => {
    expect(toEventMessage('t', 0, consumed(code)).timestampType).toBe(type);
  });

  it('keeps repeated headers as separate entries, in order, and strings as their UTF-8 bytes', () => {
    const headers = { trace: [Buffer.from('a'), Buffer.from('b')], source: 'web', gone: undefined };
    expect(toEventMessage('t', 0, consumed(0, headers)).headers).toEqual([
      ['trace', Buffer.from('a')],
      ['trace', Buffer.from('b')],
      ['source', Buffer.from('web')],
    ]);
  });
});
