import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerView, textOrHex } from '../../../../../src/harness/local/records/header-view.js';

describe('headerView', () => {
  it('reads Spring’s dead-letter headers and lineage headers by meaning, others as text or hex', () => {
    const view = headerView([
      ['kafka_dlt-original-partition', Buffer.from([0, 0, 0, 2])],
      ['kafka_dlt-original-offset', Buffer.from([0, 0, 0, 0, 0, 0, 0, 42])],
      ['kafka_dlt-original-timestamp', Buffer.from([0, 0, 0x01, 0x9b, 0x79, 0x5c, 0x88, 0x00])],
      ['x-source-partition', Buffer.from('3')],
      ['x-source-offset', Buffer.from('10-12')],
      ['x-bin', Buffer.from([0, 255])],
      ['x-tag', Buffer.from('a')],
      ['x-tag', Buffer.from('b')],
    ]);
    expect(view).toEqual({
      'kafka_dlt-original-partition': 2,
      'kafka_dlt-original-offset': 42,
      'kafka_dlt-original-timestamp': new Date(0x019b795c8800).toISOString(),
      'x-source-partition': 3,
      'x-source-offset': '10-12',
      'x-bin': 'hex:00ff',
      'x-tag': ['a', 'b'],
    });
  });

  it('never prints bytes that are not printable UTF-8 as text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (bytes) => {
        const shown = textOrHex(Buffer.from(bytes));
        if (shown.startsWith('hex:')) expect(Buffer.from(shown.slice(4), 'hex')).toEqual(Buffer.from(bytes));
        else {
          expect(Buffer.from(shown, 'utf8')).toEqual(Buffer.from(bytes));
          expect([...shown].every((c) => c.charCodeAt(0) >= 0x20 || '\t\n\r'.includes(c))).toBe(true);
        }
      }),
    );
  });
});
