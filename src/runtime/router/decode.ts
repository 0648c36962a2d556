import { DecodeError, KafkaRouterError } from '../errors/index.js';
import type { InboundRecord } from '../event/record.js';
import { validateWithSchema } from '../event/schema.js';
import type { CompiledRoute } from './table.js';

/**
 * Decodes a record's value with the route's codec, then validates it with the
 * route's schema. Every failure is a permanent, typed error naming the record.
 * Returns a promise only when the schema validates asynchronously.
 */
export function decodeRecordValue(compiled: CompiledRoute, record: InboundRecord): unknown {
  const bytes = record.valueBytes as Buffer; // tombstones never get here
  let decoded: unknown;
  try {
    decoded = compiled.codec.decode(bytes, record);
  } catch (error) {
    if (error instanceof KafkaRouterError) throw error;
    // Only the kind of failure: a codec's message (V8's JSON SyntaxError, say) quotes the value itself.
    throw new DecodeError('value', `not valid ${compiled.codec.name} (${errorKind(error)})`, record);
  }
  return compiled.schema ? validateWithSchema(compiled.schema, decoded, record) : decoded;
}

function errorKind(error: unknown): string {
  return error instanceof Error ? error.name : `non-Error thrown: ${typeof error}`;
}
