import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readConfluentFrame,
  readMessageIndexes,
  writeConfluentFrame,
  writeMessageIndexes,
} from '../../../../src/runtime/codec/framing/confluent.js';
import { type Framing, payloadOf, unframe } from '../../../../src/runtime/codec/framing/detect.js';
import { readGlueFrame, writeGlueFrame } from '../../../../src/runtime/codec/framing/glue.js';
import type { PayloadSource } from '../../../../src/runtime/codec/framing/source.js';
import { DecodeError } from '../../../../src/runtime/errors/index.js';

const source: PayloadSource = { part: 'value', at: { topic: 'orders', partition: 0, offset: 7 } };
const payload = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('Confluent framing', () => {
  it('writes magic 0 and the big-endian id, as Confluent documents the wire format', () => {
    expect([...writeConfluentFrame(258, Buffer.from([0xaa]))]).toEqual([0, 0, 0, 1, 2, 0xaa]);
  });

  it('round-trips any schema id and payload (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), payload, (id, bytes) => {
        const frame = readConfluentFrame(writeConfluentFrame(id, bytes), source);
        expect(frame.schemaId).toBe(id);
        expect(frame.payload.equals(bytes)).toBe(true);
      }),
    );
  });

  it('writes the first message as the single byte 0 and other paths as zigzag varints', () => {
    expect([...writeMessageIndexes([0])]).toEqual([0]);
    // The Powertools Confluent event (a real ESM record) starts with 02 02: one index, value 1 (UserProfile).
    expect([...writeMessageIndexes([1])]).toEqual([2, 2]);
    expect([...writeMessageIndexes([1, 0, 70])]).toEqual([6, 2, 0, 0x8c, 0x01]);
  });

  it('round-trips any message-index path (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { minLength: 1, maxLength: 8 }), payload, (indexes, bytes) => {
        const read = readMessageIndexes(Buffer.concat([writeMessageIndexes(indexes), bytes]), source);
        expect(read.indexes).toEqual(indexes);
        expect(read.next).toBe(writeMessageIndexes(indexes).length);
      }),
    );
  });

  it('reads [0] from both the shorthand 00 and the long form 02 00', () => {
    expect(readMessageIndexes(Buffer.from([0, 9]), source).indexes).toEqual([0]);
    expect(readMessageIndexes(Buffer.from([2, 0, 9]), source).indexes).toEqual([0]);
  });

  it('rejects short frames, a wrong magic byte and a count larger than the payload with DecodeError', () => {
    expect(thrown(() => readConfluentFrame(Buffer.from([0, 0, 1]), source))).toBeInstanceOf(DecodeError);
    expect(thrown(() => readConfluentFrame(Buffer.from([1, 0, 0, 0, 1]), source))).toBeInstanceOf(DecodeError);
    expect(thrown(() => readMessageIndexes(Buffer.from([0x7e, 2]), source))).toBeInstanceOf(DecodeError);
    expect(thrown(() => readMessageIndexes(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), source))).toBeInstanceOf(DecodeError);
  });
});

describe('Glue framing', () => {
  const uuid = fc.uuid();

  it('writes version 3, the compression byte and the UUID bytes (awslabs serde layout)', () => {
    const frame = writeGlueFrame('12345678-1234-1234-1234-123456789012', Buffer.from([0xaa]));
    expect(frame.toString('hex')).toBe('030012345678123412341234123456789012aa');
  });

  it('round-trips any UUID and payload, compressed or not (property)', () => {
    fc.assert(
      fc.property(uuid, payload, fc.boolean(), (id, bytes, compress) => {
        const frame = readGlueFrame(writeGlueFrame(id, bytes, { compress }), source);
        expect(frame.schemaVersionId).toBe(id.toLowerCase());
        expect(frame.payload.equals(bytes)).toBe(true);
      }),
    );
  });

  it('turns a zlib bomb into a DecodeError instead of inflating it', () => {
    const bomb = Buffer.concat([
      Buffer.from('0305', 'hex'),
      Buffer.alloc(16, 1),
      deflateSync(Buffer.alloc(32 * 1024 * 1024)), // 32 MiB of zeros, ~32 KB deflated
    ]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const error = thrown(() => readGlueFrame(bomb, source));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).toMatch(/inflates to more than 16777216 bytes/);
    expect(thrown(() => readGlueFrame(bomb, source, 1024))).toBeInstanceOf(DecodeError);
  });

  it('rejects an unknown compression byte and a corrupt zlib stream with DecodeError', () => {
    expect(thrown(() => readGlueFrame(Buffer.concat([Buffer.from('0307', 'hex'), Buffer.alloc(17)]), source))).toBeInstanceOf(DecodeError);
    expect(thrown(() => readGlueFrame(Buffer.concat([Buffer.from('0305', 'hex'), Buffer.alloc(20, 7)]), source))).toBeInstanceOf(
      DecodeError,
    );
  });
});

describe('framing detection', () => {
  it('sniffs Confluent and Glue headers when there is no schema metadata (auto)', () => {
    expect(unframe(writeConfluentFrame(9, Buffer.from([1])), undefined, source, { framing: 'auto' })).toMatchObject({
      framing: 'confluent',
      ref: { registry: 'confluent', id: 9 },
    });
    const glue = unframe(writeGlueFrame('7d55d475-2244-4485-8341-f74468c1e058', Buffer.from([1])), undefined, source, { framing: 'auto' });
    expect(glue).toMatchObject({ framing: 'glue', ref: { registry: 'glue', id: '7d55d475-2244-4485-8341-f74468c1e058' } });
    expect(unframe(Buffer.from([0xd2, 0x0f]), undefined, source, { framing: 'auto' }).framing).toBe('none');
  });

  it('takes the schema from Lambda metadata (numeric = Confluent, UUID = Glue), with or without the header still there', () => {
    const bare = Buffer.from([2, 2, 0x0a]);
    expect(unframe(bare, { dataFormat: 'PROTOBUF', schemaId: '1' }, source, { framing: 'none' })).toEqual({
      framing: 'confluent',
      ref: { registry: 'confluent', id: 1 },
      bytes: bare,
      start: 0,
      sniffed: false,
      headerless: true,
    });
    const framed = writeConfluentFrame(1, bare);
    expect(unframe(framed, { dataFormat: 'PROTOBUF', schemaId: '1' }, source, { framing: 'auto' }).headerless).toBe(false);
    expect(payloadOf(unframe(framed, { dataFormat: 'PROTOBUF', schemaId: '1' }, source, { framing: 'auto' })).equals(bare)).toBe(true);
    const glue = unframe(Buffer.from([1, 0x0a]), { dataFormat: 'PROTOBUF', schemaId: '12345678-1234-1234-1234-123456789012' }, source, {
      framing: 'auto',
    });
    expect(glue).toMatchObject({ framing: 'glue', ref: { registry: 'glue', id: '12345678-1234-1234-1234-123456789012' } });
  });

  it('marks a header found only by sniffing (no schema id in the metadata, or no metadata: SOURCE mode), and only then', () => {
    const bytes = Buffer.from([0, 0, 0, 0, 1, 5]);
    expect(unframe(bytes, { dataFormat: 'AVRO' }, source, { framing: 'auto' })).toMatchObject({ framing: 'confluent', sniffed: true });
    expect(unframe(bytes, undefined, source, { framing: 'auto' })).toMatchObject({ framing: 'confluent', start: 5, sniffed: true });
    expect(unframe(bytes, undefined, source, { framing: 'confluent' }).sniffed).toBe(false);
    expect(unframe(bytes, { dataFormat: 'AVRO', schemaId: '1' }, source, { framing: 'auto' }).sniffed).toBe(false);
    expect(unframe(bytes, undefined, source, { framing: 'none' })).toMatchObject({ framing: 'none', sniffed: false });
    const glue = writeGlueFrame('7d55d475-2244-4485-8341-f74468c1e058', Buffer.from([1]));
    expect(unframe(glue, undefined, source, { framing: 'auto' })).toMatchObject({ framing: 'glue', sniffed: true });
    // 03 05 followed by bytes that do not inflate: not a Glue frame after all, so the bare reading.
    const notZlib = Buffer.concat([Buffer.from([3, 5]), Buffer.alloc(20, 7)]);
    expect(unframe(notZlib, undefined, source, { framing: 'auto' })).toMatchObject({ framing: 'none', start: 0, sniffed: false });
  });

  it('never throws anything but DecodeError on arbitrary bytes and metadata (property)', () => {
    const metadata = fc.option(
      fc.record({
        dataFormat: fc.constantFrom('AVRO', 'PROTOBUF', 'JSON'),
        schemaId: fc.option(fc.oneof(fc.uuid(), fc.nat().map(String), fc.string()), { nil: undefined }),
      }),
      { nil: undefined },
    );
    const framing = fc.constantFrom<Framing>('auto', 'confluent', 'glue', 'none');
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 40 }).map((a) => Uint8Array.from([0, ...a])),
      fc.uint8Array({ maxLength: 40 }).map((a) => Uint8Array.from([3, (a[0] ?? 0) ? 5 : 0, ...a])),
    );
    fc.assert(
      fc.property(bytes, metadata, framing, (raw, meta, mode) => {
        const error = thrown(() => unframe(Buffer.from(raw), meta, source, { framing: mode, maxInflatedBytes: 4096 }));
        if (error !== undefined) expect(error).toBeInstanceOf(DecodeError);
      }),
      { numRuns: 2000 },
    );
  });
});
