import type { RawKafkaHeader } from './types.js';

// Encoders shared by the publish path and the event builder: values and headers to bytes.

/** Header values for building events and messages: text or bytes; pairs allow repeated names. */
export type HeaderInput = Readonly<Record<string, string | Buffer>> | ReadonlyArray<readonly [string, string | Buffer]>;

/** The bytes a message value is sent as (see {@link EventMessage.value}). */
export function encodeValue(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** `[name, value]` entries from either header input form (repeats kept). */
export function headerEntries(headers: HeaderInput | undefined): Array<readonly [string, string | Buffer]> {
  if (!headers) return [];
  return Array.isArray(headers) ? [...headers] : Object.entries(headers as Record<string, string | Buffer>);
}

/** Text as UTF-8, bytes as they are. */
export function toBytes(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/** Lambda's `[{name: [bytes]}]` header form. */
export function encodeHeaders(headers: HeaderInput | undefined): RawKafkaHeader[] {
  return headerEntries(headers).map(([name, value]) => ({ [name]: [...toBytes(value)] }));
}
