import { DecodeError } from '../../errors/index.js';
import type { SchemaMetadata } from '../../event/types.js';
import { CONFLUENT_HEADER_BYTES, looksConfluent, readConfluentFrame } from './confluent.js';
import { DEFAULT_MAX_INFLATED_BYTES, isUuid, looksGlue, readGlueFrame } from './glue.js';
import { malformed, type PayloadSource } from './source.js';

/**
 * The framing of payloads that Lambda's schema metadata does not describe:
 * sniffed from the bytes (`auto`: magic 0 is Confluent, version 3 Glue),
 * required (`confluent`, `glue`), or absent (`none`).
 */
export type Framing = 'auto' | 'confluent' | 'glue' | 'none';

/** The registry schema a payload names: a Confluent schema id or a Glue schema version UUID. */
export type SchemaRef = { readonly registry: 'confluent'; readonly id: number } | { readonly registry: 'glue'; readonly id: string };

/**
 * A payload located past its framing: `bytes` from `start` on (no copy and no
 * view is made, since decoders can start at an offset).
 */
export interface Unframed {
  /** The framing it came in; decides how a Protobuf message index follows. */
  readonly framing: 'confluent' | 'glue' | 'none';
  /** The schema the payload names, if any. */
  readonly ref: SchemaRef | undefined;
  readonly bytes: Buffer;
  /** Where the payload starts in `bytes`. */
  readonly start: number;
  /**
   * True when only the bytes said "framed" (`auto`, no schema id in Lambda's
   * metadata): the same bytes may be a bare payload that merely starts like a
   * header, as when Lambda's SOURCE mode removed it (see schema-codec).
   */
  readonly sniffed: boolean;
  /**
   * True when Lambda's schema metadata named the schema but the header had already left the bytes:
   * nothing then says whether a Protobuf message index is still in front of the message.
   */
  readonly headerless: boolean;
}

/** The payload of `unframed` as its own view. */
export function payloadOf(unframed: Unframed): Buffer {
  return unframed.start === 0 ? unframed.bytes : unframed.bytes.subarray(unframed.start);
}

/** Options of {@link unframe}. */
export interface UnframeOptions {
  readonly framing: Framing;
  /** Cap on a zlib-compressed Glue payload once inflated. */
  readonly maxInflatedBytes?: number;
}

const NUMERIC_ID = /^\d{1,10}$/;

/**
 * Removes the registry framing from a payload. Lambda's ESM, when it has a
 * schema registry, names the schema in `keySchemaMetadata`/`valueSchemaMetadata`
 * (numeric id = Confluent, UUID = Glue) and may already have removed the
 * header: both the framed and the header-less payloads are accepted, whatever
 * `framing` says (unless it names the other registry). Without a schema id,
 * `framing` decides.
 */
export function unframe(bytes: Buffer, metadata: SchemaMetadata | undefined, source: PayloadSource, options: UnframeOptions): Unframed {
  const { framing } = options;
  const max = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const schemaId = metadata?.schemaId;
  if (schemaId !== undefined && schemaId !== '') {
    if (NUMERIC_ID.test(schemaId) && framing !== 'glue') {
      const id = Number(schemaId);
      if (looksConfluent(bytes) && bytes.readUInt32BE(1) === id) return confluent(bytes, source);
      return { framing: 'confluent', ref: { registry: 'confluent', id }, bytes, start: 0, sniffed: false, headerless: true };
    }
    if (isUuid(schemaId) && framing !== 'confluent') {
      const id = schemaId.toLowerCase();
      if (looksGlue(bytes) && bytes.subarray(2, 18).toString('hex') === id.replaceAll('-', '')) return glue(bytes, source, max);
      return { framing: 'glue', ref: { registry: 'glue', id }, bytes, start: 0, sniffed: false, headerless: true };
    }
    return malformed(
      source,
      `schema metadata names schema '${schemaId}', which is not a ${framing === 'confluent' || framing === 'glue' ? `${framing} id` : 'Confluent id or Glue UUID'}`,
    );
  }

  if (framing === 'none') return { framing: 'none', ref: undefined, bytes, start: 0, sniffed: false, headerless: false };
  if (framing === 'confluent') return confluent(bytes, source);
  if (framing === 'glue') return glue(bytes, source, max);
  // auto without a schema id (no metadata, as AWS documents for SOURCE mode, or a data format only):
  // a header is sniffed from the bytes, and marked as such.
  if (looksConfluent(bytes)) return confluent(bytes, source, true);
  if (looksGlue(bytes)) {
    try {
      return glue(bytes, source, max, true);
    } catch (error) {
      // A sniffed header whose zlib body does not inflate: the bytes may be a bare payload starting 03 00/05.
      if (!(error instanceof DecodeError)) throw error;
    }
  }
  return { framing: 'none', ref: undefined, bytes, start: 0, sniffed: false, headerless: false };
}

function confluent(bytes: Buffer, source: PayloadSource, sniffed = false): Unframed {
  if (!looksConfluent(bytes)) readConfluentFrame(bytes, source); // throws the DecodeError saying why
  return {
    framing: 'confluent',
    ref: { registry: 'confluent', id: bytes.readUInt32BE(1) },
    bytes,
    start: CONFLUENT_HEADER_BYTES,
    sniffed,
    headerless: false,
  };
}

function glue(bytes: Buffer, source: PayloadSource, max: number, sniffed = false): Unframed {
  const frame = readGlueFrame(bytes, source, max);
  return {
    framing: 'glue',
    ref: { registry: 'glue', id: frame.schemaVersionId },
    bytes: frame.payload,
    start: 0,
    sniffed,
    headerless: false,
  };
}
