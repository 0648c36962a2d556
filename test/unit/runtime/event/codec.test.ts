import { describe, expect, it } from 'vitest';
import { bytes, json, text } from '../../../../src/runtime/event/codec.js';
import type { KafkaRecord } from '../../../../src/runtime/event/record.js';

const record = {} as KafkaRecord;

describe('built-in codecs', () => {
  it('are named as error messages show them', () => {
    expect([json.name, text.name, bytes.name]).toEqual(['json', 'text', 'bytes']);
  });

  it('json: parses UTF-8 JSON and encodes JSON text', () => {
    expect(json.decode(Buffer.from('{"café":[1,null]}'), record, 'value')).toEqual({ café: [1, null] });
    expect(json.encode({ café: [1, null] })).toBe('{"café":[1,null]}');
  });

  it('text: UTF-8 both ways', () => {
    expect(text.decode(Buffer.from('naïve ☕'), record, 'value')).toBe('naïve ☕');
    expect(text.encode('naïve ☕')).toBe('naïve ☕');
  });

  it('bytes: hands the same buffer through both ways, uncopied', () => {
    const buffer = Buffer.from([0, 255, 7]);
    expect(bytes.decode(buffer, record, 'key')).toBe(buffer);
    expect(bytes.encode(buffer)).toBe(buffer);
  });
});
