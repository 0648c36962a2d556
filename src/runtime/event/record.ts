import { DecodeError, type InvalidEventError, type RecordCoordinates } from '../errors/index.js';
import { decodeBase64 } from './base64.js';
import { decodeHeaders, type KafkaHeaders } from './headers.js';
import type { RawKafkaHeader, SchemaMetadata } from './types.js';

/** A record from the event, decoded on first use of each part. */
export interface KafkaRecord extends RecordCoordinates {
  /** `"<topic>-<partition>"`. */
  readonly lane: string;
  readonly timestamp: number;
  readonly timestampType: string;
  /** The key as UTF-8 text; null when the record has no key. Throws DecodeError on invalid base64. */
  readonly key: string | null;
  /** The key's bytes; null when the record has no key. */
  readonly keyBytes: Buffer | null;
  /** The value's bytes; null for a tombstone. Throws DecodeError on invalid base64. */
  readonly valueBytes: Buffer | null;
  /** True when the value is null (a tombstone on a compacted topic). */
  readonly isTombstone: boolean;
  readonly headers: KafkaHeaders;
  readonly keySchemaMetadata: SchemaMetadata | undefined;
  readonly valueSchemaMetadata: SchemaMetadata | undefined;
  /** The key as the route's `keyCodec` decoded it; undefined when the route has none (null when the record has no key). */
  readonly keyValue: unknown;
}

const UNSET = Symbol('unset');

/** `rawText` flag: the key was not a string in the event; `rawKey` holds its JSON text. */
export const RAW_TEXT_KEY = 1;
/** `rawText` flag: the value was not a string in the event; `rawValue` holds its JSON text. */
export const RAW_TEXT_VALUE = 2;

/**
 * The event's record with memoized lazy decoding: routing needs only the
 * topic, so key, headers and value cost nothing until a handler (or a
 * publisher) reads them, and never twice.
 */
export class InboundRecord implements KafkaRecord {
  private decodedKey: Buffer | null | typeof UNSET = UNSET;
  private decodedValue: Buffer | null | typeof UNSET = UNSET;
  private decodedHeaders: KafkaHeaders | undefined;
  /** Set by the parser when this record is malformed: its lane dead-letters it or fails at it; handlers never see it. */
  defect: InvalidEventError | undefined;
  /** Set by the parser: which of `rawKey`/`rawValue` hold JSON text rather than base64 ({@link RAW_TEXT_KEY}, {@link RAW_TEXT_VALUE}). */
  rawText = 0;
  /** Set by the parser when the headers were malformed: their JSON text, so a dead letter still carries them. */
  rawHeadersText: string | undefined;
  /** Set by the router when the route has a key codec. */
  keyValue: unknown;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly timestamp: number,
    readonly timestampType: string,
    /** The key as Lambda sent it (base64). */
    readonly rawKey: string | null,
    /** The value as Lambda sent it (base64). */
    readonly rawValue: string | null,
    /** The headers as Lambda sent them. */
    readonly rawHeaders: readonly RawKafkaHeader[] | null,
    readonly keySchemaMetadata: SchemaMetadata | undefined,
    readonly valueSchemaMetadata: SchemaMetadata | undefined,
  ) {}

  get lane(): string {
    return `${this.topic}-${this.partition}`;
  }

  get keyBytes(): Buffer | null {
    if (this.decodedKey === UNSET) this.decodedKey = this.rawKey === null ? null : this.decodeOrThrow('key', this.rawKey);
    return this.decodedKey;
  }

  get key(): string | null {
    return this.keyBytes?.toString('utf8') ?? null;
  }

  get valueBytes(): Buffer | null {
    if (this.decodedValue === UNSET) this.decodedValue = this.rawValue === null ? null : this.decodeOrThrow('value', this.rawValue);
    return this.decodedValue;
  }

  get isTombstone(): boolean {
    return this.rawValue === null;
  }

  get headers(): KafkaHeaders {
    this.decodedHeaders ??= decodeHeaders(this.rawHeaders);
    return this.decodedHeaders;
  }

  private decodeOrThrow(part: 'key' | 'value', text: string): Buffer {
    const bytes = decodeBase64(text);
    if (!bytes) throw new DecodeError(part, `not valid base64 (${text.length} characters)`, this);
    return bytes;
  }
}
