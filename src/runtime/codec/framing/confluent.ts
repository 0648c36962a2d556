// Confluent's wire format: magic byte 0, a 4-byte big-endian schema id, then the payload.
// Protobuf payloads start with a message-index list (see readMessageIndexes).
import { malformed, type PayloadSource } from './source.js';
import { readZigzagVarint, zigzagVarint } from './varint.js';

/** The first byte of every Confluent-framed payload. */
export const CONFLUENT_MAGIC = 0;
/** Magic byte + schema id. */
export const CONFLUENT_HEADER_BYTES = 5;

/** A Confluent-framed payload split into its schema id and the bytes after the header. */
export interface ConfluentFrame {
  readonly schemaId: number;
  readonly payload: Buffer;
}

/** True when `bytes` can be a Confluent frame (magic 0 and room for the id). */
export function looksConfluent(bytes: Uint8Array): boolean {
  return bytes.length >= CONFLUENT_HEADER_BYTES && bytes[0] === CONFLUENT_MAGIC;
}

/** Splits a Confluent frame; anything else is a DecodeError. */
export function readConfluentFrame(bytes: Buffer, source: PayloadSource): ConfluentFrame {
  if (bytes.length < CONFLUENT_HEADER_BYTES)
    return malformed(source, `Confluent frame needs ${CONFLUENT_HEADER_BYTES} header bytes, got ${bytes.length}`);
  if (bytes[0] !== CONFLUENT_MAGIC) return malformed(source, `Confluent frame must start with magic byte 0, got ${bytes[0]}`);
  return { schemaId: bytes.readUInt32BE(1), payload: bytes.subarray(CONFLUENT_HEADER_BYTES) };
}

/** Prefixes `payload` with the Confluent header for `schemaId`. */
export function writeConfluentFrame(schemaId: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(CONFLUENT_HEADER_BYTES + payload.length);
  out[0] = CONFLUENT_MAGIC;
  out.writeUInt32BE(schemaId >>> 0, 1);
  out.set(payload, CONFLUENT_HEADER_BYTES);
  return out;
}

/** A Protobuf payload's message-index path and where the message bytes start. */
export interface MessageIndexed {
  /** Path from the .proto file's top level to the message type: `[0]` is the first top-level message. */
  readonly indexes: readonly number[];
  /** Offset of the message bytes, just past the list. */
  readonly next: number;
}

const FIRST_MESSAGE: readonly number[] = [0];

/**
 * Reads Confluent's Protobuf message-index list at `offset`: a zigzag varint
 * count, then that many zigzag varint indexes. Count 0 is the shorthand for `[0]`.
 */
export function readMessageIndexes(bytes: Buffer, source: PayloadSource, offset = 0): MessageIndexed {
  // The shorthand Confluent's serializers write for the first message: no varint to decode.
  if (bytes[offset] === 0) return { indexes: FIRST_MESSAGE, next: offset + 1 };
  const count = readZigzagVarint(bytes, offset, source);
  if (count.value === 0) return { indexes: FIRST_MESSAGE, next: count.next };
  // Each index takes at least one byte, which also bounds the allocation.
  if (count.value < 0 || count.value > bytes.length - count.next)
    return malformed(source, `invalid Protobuf message-index count ${count.value}`);
  const indexes: number[] = [];
  let at = count.next;
  for (let i = 0; i < count.value; i++) {
    const index = readZigzagVarint(bytes, at, source);
    if (index.value < 0) return malformed(source, `invalid Protobuf message index ${index.value}`);
    indexes.push(index.value);
    at = index.next;
  }
  return { indexes, next: at };
}

/** Encodes a message-index path the way Confluent's serializers do (`[0]` as the single byte 0). */
export function writeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  return Buffer.from([...zigzagVarint(indexes.length), ...indexes.flatMap(zigzagVarint)]);
}
