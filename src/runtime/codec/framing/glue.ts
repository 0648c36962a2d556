// AWS Glue Schema Registry framing: header version 3, a compression byte (0 none, 5 zlib),
// the 16-byte schema version UUID, then the payload (zlib-deflated when compressed).
import { deflateSync, inflateSync } from 'node:zlib';
import { describeError } from '../../errors/format.js';
import { ConfigError } from '../../errors/index.js';
import { malformed, type PayloadSource } from './source.js';

/** The header version byte Glue's serializers write. */
export const GLUE_HEADER_VERSION = 3;
/** Compression byte: none. */
export const GLUE_COMPRESSION_NONE = 0;
/** Compression byte: zlib. */
export const GLUE_COMPRESSION_ZLIB = 5;
/** Version + compression + UUID. */
export const GLUE_HEADER_BYTES = 18;
/** Default cap on an inflated payload: a zlib bomb becomes a DecodeError, not an out-of-memory. */
export const DEFAULT_MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/** A Glue-framed payload split into its schema version id and the (inflated) payload. */
export interface GlueFrame {
  /** Lower-case UUID text, as Glue's API and Lambda's `schemaId` spell it. */
  readonly schemaVersionId: string;
  readonly payload: Buffer;
}

/** True when `bytes` can be a Glue frame. */
export function looksGlue(bytes: Uint8Array): boolean {
  return (
    bytes.length >= GLUE_HEADER_BYTES &&
    bytes[0] === GLUE_HEADER_VERSION &&
    (bytes[1] === GLUE_COMPRESSION_NONE || bytes[1] === GLUE_COMPRESSION_ZLIB)
  );
}

/** Splits (and inflates) a Glue frame; anything else, or an inflated size over the cap, is a DecodeError. */
export function readGlueFrame(bytes: Buffer, source: PayloadSource, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): GlueFrame {
  if (bytes.length < GLUE_HEADER_BYTES) return malformed(source, `Glue frame needs ${GLUE_HEADER_BYTES} header bytes, got ${bytes.length}`);
  if (bytes[0] !== GLUE_HEADER_VERSION) return malformed(source, `Glue frame header version must be 3, got ${bytes[0]}`);
  const compression = bytes[1];
  const schemaVersionId = uuidText(bytes.subarray(2, GLUE_HEADER_BYTES));
  const body = bytes.subarray(GLUE_HEADER_BYTES);
  if (compression === GLUE_COMPRESSION_NONE) return { schemaVersionId, payload: body };
  if (compression !== GLUE_COMPRESSION_ZLIB) return malformed(source, `unknown Glue compression byte ${compression}`);
  try {
    return { schemaVersionId, payload: inflateSync(body, { maxOutputLength: maxInflatedBytes }) };
  } catch (error) {
    const tooLarge = (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    return malformed(
      source,
      tooLarge ? `zlib payload inflates to more than ${maxInflatedBytes} bytes` : `invalid zlib payload (${describeError(error)})`,
      error,
    );
  }
}

/** Prefixes `payload` with a Glue header for `schemaVersionId`, deflating it when `compress` is set. */
export function writeGlueFrame(schemaVersionId: string, payload: Uint8Array, options: { compress?: boolean } = {}): Buffer {
  if (!isUuid(schemaVersionId)) throw new ConfigError('A Glue schema version id must be a UUID');
  const header = Buffer.alloc(GLUE_HEADER_BYTES);
  header[0] = GLUE_HEADER_VERSION;
  header[1] = options.compress ? GLUE_COMPRESSION_ZLIB : GLUE_COMPRESSION_NONE;
  uuidBytes(schemaVersionId).copy(header, 2);
  return Buffer.concat([header, options.compress ? deflateSync(payload) : payload]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for UUID text (how Lambda's `schemaId` names a Glue schema version). */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** 16 bytes as lower-case UUID text. */
export function uuidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** UUID text as 16 bytes. */
export function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}
