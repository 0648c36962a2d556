import { malformed, type PayloadSource } from './source.js';

/** A varint read from a buffer: its value and the offset just after it. */
export interface VarintRead {
  readonly value: number;
  readonly next: number;
}

/**
 * Reads an unsigned 32-bit varint (protobuf/Avro base-128, least significant
 * group first) at `offset`. Truncation or more than 32 bits is a DecodeError.
 */
export function readUnsignedVarint(bytes: Uint8Array, offset: number, source: PayloadSource): VarintRead {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const at = offset + i;
    if (at >= bytes.length) return malformed(source, 'truncated varint');
    const byte = bytes[at] as number;
    if (i === 4 && byte > 0x0f) return malformed(source, 'varint longer than 32 bits');
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { value, next: at + 1 };
  }
  return malformed(source, 'varint longer than 32 bits');
}

/** Reads a zigzag-encoded signed 32-bit varint (what Confluent's `ByteUtils.readVarint` writes). */
export function readZigzagVarint(bytes: Uint8Array, offset: number, source: PayloadSource): VarintRead {
  const raw = readUnsignedVarint(bytes, offset, source);
  const value = raw.value % 2 === 0 ? raw.value / 2 : -(raw.value + 1) / 2;
  return { value, next: raw.next };
}

/** Encodes an unsigned 32-bit integer as a varint. */
export function unsignedVarint(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
  return out;
}

/** Encodes a signed 32-bit integer as a zigzag varint. */
export function zigzagVarint(value: number): number[] {
  return unsignedVarint(((value << 1) ^ (value >> 31)) >>> 0);
}
