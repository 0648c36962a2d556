import type { KafkaRecord } from './record.js';

/** Turns a record's value bytes into a value, and values back into bytes for publishing. */
export interface Codec<T> {
  /** Shown in errors: "cannot decode the value as json". */
  readonly name: string;
  decode(bytes: Buffer, record: KafkaRecord): T;
  encode(value: T): Buffer | string;
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
