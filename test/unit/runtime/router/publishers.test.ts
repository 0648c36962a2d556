import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { bytes, json, text } from '../../../../src/runtime/event/codec.js';
import type { KafkaRecord } from '../../../../src/runtime/event/record.js';
import { encodeForPublisher, to } from '../../../../src/runtime/router/publishers.js';

const source = { topic: 'in', partition: 0, offset: 3 } as KafkaRecord;

describe('to', () => {
  it('declares a topic with its options', () => {
    const key = () => 'k';
    expect(to('orders.validated', { key })).toEqual({ topic: 'orders.validated', key });
  });

  it('refuses an empty or missing topic name', () => {
    for (const topic of ['', undefined, 5]) {
      expect(() => to(topic as never)).toThrow(ConfigError);
      expect(() => to(topic as never)).toThrow('to(topic): a publisher needs a topic name');
    }
  });
});

describe('encodeForPublisher', () => {
  it('encodes JSON by default, after map', () => {
    expect(encodeForPublisher(to('t', { map: (value: number, record) => ({ value, from: record.offset }) }), 2, source)).toEqual(
      Buffer.from('{"value":2,"from":3}'),
    );
  });

  it('sends a tombstone when map returns null, whatever the codec', () => {
    expect(encodeForPublisher(to('t', { map: () => null }), 2, source)).toBeNull();
    expect(encodeForPublisher(to('t', { map: () => null, codec: text as never }), 'x', source)).toBeNull();
  });

  it('uses the publisher’s codec: text to UTF-8, bytes untouched', () => {
    expect(encodeForPublisher(to('t', { codec: text as never }), 'naïve', source)).toEqual(Buffer.from('naïve', 'utf8'));
    const buffer = Buffer.from([0, 255]);
    expect(encodeForPublisher(to('t', { codec: bytes as never }), buffer, source)).toBe(buffer);
    // A string goes out as its UTF-8 text by default; the json codec quotes it.
    expect(encodeForPublisher(to('t'), 'x', source)?.toString()).toBe('x');
    expect(encodeForPublisher(to('t', { codec: json as never }), 'x', source)?.toString()).toBe('"x"');
  });
});
