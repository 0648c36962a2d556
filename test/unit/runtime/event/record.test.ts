import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { DecodeError } from '../../../../src/runtime/errors/index.js';
import { decodeBase64 } from '../../../../src/runtime/event/base64.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import type { InboundRecord } from '../../../../src/runtime/event/record.js';
import { mutableEvent, recordOf } from '../../../support/events.js';

const firstRecord = (event: unknown): InboundRecord => parseKafkaEvent(event).lanes[0]?.records[0] as InboundRecord;

describe('decodeBase64', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const decoded = decodeBase64(Buffer.from(bytes).toString('base64'));
        expect(decoded && [...decoded]).toEqual([...bytes]);
      }),
    );
  });

  it('rejects a string with a character outside the alphabet', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.nat(),
        fc.constantFrom('*', '!', '#', '%', '.', '?'),
        (bytes, at, bad) => {
          const text = Buffer.from(bytes).toString('base64');
          const position = at % text.length;
          expect(decodeBase64(text.slice(0, position) + bad + text.slice(position))).toBeUndefined();
        },
      ),
    );
  });

  it('rejects impossible lengths', () => {
    expect(decodeBase64('a')).toBeUndefined();
    expect(decodeBase64('!!!!')).toBeUndefined();
  });
});

describe('InboundRecord', () => {
  it('decodes key, value and UTF-8 text (not Latin-1)', () => {
    const record = firstRecord(buildKafkaEvent([{ topic: 't', key: 'clé-1', value: 'naïve ☕' }]));
    expect(record.key).toBe('clé-1');
    expect(record.valueBytes?.toString('utf8')).toBe('naïve ☕');
    expect(record.valueBytes).toBe(record.valueBytes); // memoized
    expect(record.keyBytes).toBe(record.keyBytes);
  });

  it('treats null key and null value (tombstone) as null', () => {
    const record = firstRecord(buildKafkaEvent([{ topic: 't', key: null, value: null }]));
    expect(record.key).toBeNull();
    expect(record.keyBytes).toBeNull();
    expect(record.valueBytes).toBeNull();
    expect(record.isTombstone).toBe(true);
  });

  it('treats an absent key and value as null', () => {
    const event = mutableEvent([{ topic: 't', value: 'x' }]);
    const raw = recordOf(event, 't-0');
    delete raw.key;
    delete raw.value;
    const record = firstRecord(event);
    expect(record.defect).toBeUndefined();
    expect(record.key).toBeNull();
    expect(record.isTombstone).toBe(true);
  });

  it('keeps repeated headers in order', () => {
    const record = firstRecord(
      buildKafkaEvent([
        {
          topic: 't',
          value: 'x',
          headers: [
            ['tag', 'a'],
            ['trace', 't1'],
            ['tag', 'b'],
          ],
        },
      ]),
    );
    expect(record.headers.get('tag')).toBe('a');
    expect(record.headers.getAll('tag')).toEqual(['a', 'b']);
    expect(record.headers.list.map((h) => h.name)).toEqual(['tag', 'trace', 'tag']);
    expect(record.headers.get('missing')).toBeUndefined();
  });

  it('decodes the AWS sample header form {name: [bytes]}', () => {
    const event = mutableEvent([{ topic: 'mytopic', value: 'x' }]);
    recordOf(event, 'mytopic-0').headers = [{ headerKey: [104, 101, 97, 100, 101, 114, 86, 97, 108, 117, 101] }];
    expect(firstRecord(event).headers.get('headerKey')).toBe('headerValue');
  });

  it('reports invalid base64 in the value as a DecodeError with coordinates', () => {
    const event = mutableEvent([{ topic: 'orders', partition: 2, offset: 7, value: 'x' }]);
    recordOf(event, 'orders-2').value = 'eyJh*IjoxfQ==';
    const record = firstRecord(event);
    expect(() => record.valueBytes).toThrow(DecodeError);
    expect(() => record.valueBytes).toThrow(/Cannot decode the value: not valid base64.*orders-2@7/);
  });

  it('reports invalid base64 in the key as a DecodeError of part key', () => {
    const event = mutableEvent([{ topic: 'orders', key: 'k', value: 'x' }]);
    recordOf(event, 'orders-0').key = '%%%';
    const error = (() => {
      try {
        return firstRecord(event).key;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({ code: 'DECODE_FAILED', part: 'key', at: { topic: 'orders', partition: 0, offset: 0 } });
  });
});
