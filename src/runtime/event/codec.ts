import type { KafkaRecord } from './record.js';

/** Which part of a record a codec decodes. */
export type RecordPart = 'key' | 'value';

/** Where an encoded value goes: publishers pass it, so registry codecs can name the subject. */
export interface EncodeTarget {
  readonly topic: string;
  readonly part: RecordPart;
}

/** Turns a record's key or value bytes into a value, and values back into bytes for publishing. */
export interface Codec<T> {
  /** Shown in errors: "cannot decode the value as json". */
  readonly name: string;
  /**
   * Decodes `bytes` (the record's `part`). May return a promise (a schema
   * registry lookup); codecs answer synchronously once warm.
   */
  decode(bytes: Buffer, record: KafkaRecord, part: RecordPart): T | Promise<T>;
  encode(value: T, target?: EncodeTarget): Buffer | string;
  /**
   * Readies `encode` for a target (loads the library, looks up or registers
   * the schema). The router awaits it once before a route's first record, so
   * encoding stays synchronous.
   */
  prepare?(target: EncodeTarget): Promise<void>;
}

/** JSON text (UTF-8). The default codec. */
export const json: Codec<unknown> = {
  name: 'json',
  decode: (bytes) => JSON.parse(bytes.toString('utf8')),
  encode: (value) => JSON.stringify(value),
};

/** UTF-8 text. */
export const text: Codec<string> = {
  name: 'text',
  decode: (bytes) => bytes.toString('utf8'),
  encode: (value) => value,
};

/** Raw bytes, untouched (Avro, Protobuf, anything binary). */
export const bytes: Codec<Buffer> = {
  name: 'bytes',
  decode: (value) => value,
  encode: (value) => value,
};
