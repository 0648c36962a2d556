import { describe, expect, it } from 'vitest';
import { encodeHeaders, encodeValue, headerEntries, toBytes } from '../../../../src/runtime/event/encode.js';

describe('encodeValue', () => {
  it('sends text as UTF-8, bytes as they are, anything else as JSON', () => {
    expect(encodeValue('naïve ☕')).toEqual(Buffer.from('naïve ☕', 'utf8'));
    expect(encodeValue(new Uint8Array([1, 2, 250]))).toEqual(Buffer.from([1, 2, 250]));
    expect(encodeValue({ café: 1 })).toEqual(Buffer.from('{"café":1}', 'utf8'));
    expect(encodeValue(7)).toEqual(Buffer.from('7'));
  });

  it('does not copy a Buffer', () => {
    const buffer = Buffer.from([1, 2, 3]);
    expect(encodeValue(buffer)).toBe(buffer);
  });
});

describe('toBytes', () => {
  it('turns text into UTF-8 and leaves a Buffer as it is', () => {
    const buffer = Buffer.from([9]);
    expect(toBytes('é')).toEqual(Buffer.from([0xc3, 0xa9]));
    expect(toBytes(buffer)).toBe(buffer);
  });
});

describe('headerEntries and encodeHeaders', () => {
  it('read both header input forms, keeping repeated names in order', () => {
    expect(headerEntries(undefined)).toEqual([]);
    expect(headerEntries({ a: '1', b: '2' })).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(
      encodeHeaders([
        ['a', 'é'],
        ['a', Buffer.from([255])],
      ]),
    ).toEqual([{ a: [0xc3, 0xa9] }, { a: [255] }]);
  });
});
