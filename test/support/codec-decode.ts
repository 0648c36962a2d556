import type { SchemaCodec } from '../../src/runtime/codec/schema-codec.js';
import type { KafkaRecord } from '../../src/runtime/event/record.js';
import type { SchemaMetadata } from '../../src/runtime/event/types.js';

/** The record a codec test decodes for: `orders-1@42`, with the value's schema metadata as Lambda would send it. */
export function codecRecord(metadata?: SchemaMetadata): KafkaRecord {
  return {
    topic: 'orders',
    partition: 1,
    offset: 42,
    valueSchemaMetadata: metadata,
    keySchemaMetadata: undefined,
  } as unknown as KafkaRecord;
}

/** Decodes `bytes` as the value of {@link codecRecord}. */
export async function decodeValue<T>(codec: SchemaCodec<T>, bytes: Buffer, metadata?: SchemaMetadata): Promise<T> {
  return await codec.decode(bytes, codecRecord(metadata), 'value');
}

/** What a promise rejected with (undefined when it resolved), for asserting on typed errors. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}
