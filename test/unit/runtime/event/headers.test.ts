import { describe, expect, it } from 'vitest';
import { decodeHeaders, headersOf, NO_HEADERS } from '../../../../src/runtime/event/headers.js';

describe('decodeHeaders', () => {
  it('reads no headers (absent or empty) as the shared empty list', () => {
    for (const raw of [null, []]) {
      const headers = decodeHeaders(raw);
      expect(headers).toBe(NO_HEADERS);
      expect([headers.list, headers.get('a'), headers.getAll('a'), headers.bytes('a')]).toEqual([[], undefined, [], undefined]);
    }
  });

  it('keeps repeats in order: get is the first, getAll every one', () => {
    const headers = decodeHeaders([{ a: [49] }, { b: [50] }, { a: [51] }]);
    expect(headers.get('a')).toBe('1');
    expect(headers.getAll('a')).toEqual(['1', '3']);
    expect(headers.bytes('b')).toEqual(Buffer.from('2'));
  });
});

describe('headersOf', () => {
  it('builds headers from pairs: text as UTF-8, bytes as they are, repeats kept', () => {
    const bytes = Buffer.from([0, 255]);
    const headers = headersOf([
      ['a', 'é'],
      ['b', bytes],
      ['a', 'x'],
    ]);
    expect(headers.list.map((h) => h.name)).toEqual(['a', 'b', 'a']);
    expect(headers.bytes('a')).toEqual(Buffer.from([0xc3, 0xa9]));
    expect(headers.bytes('b')).toBe(bytes);
    expect(headers.getAll('a')).toEqual(['é', 'x']);
  });
});
