import { DecodeError, KafkaRouterError, RegistryUnavailableError } from '../errors/index.js';
import type { Codec, RecordPart } from '../event/codec.js';
import type { InboundRecord } from '../event/record.js';
import { validateWithSchema } from '../event/schema.js';
import type { CompiledRoute } from './table.js';

/**
 * Decodes a record's value with the route's codec (and its key with the
 * route's key codec, if any, kept on `record.keyValue`), then validates the
 * value with the route's schema. Every failure is a typed error naming the
 * record. Returns a promise only when a codec or the schema is asynchronous
 * (a schema registry lookup, an async schema).
 */
export function decodeRecordValue(compiled: CompiledRoute, record: InboundRecord): unknown {
  const preparing = compiled.preparePublishers();
  if (preparing) {
    return preparing.then(
      () => decodeRecordValue(compiled, record),
      (error: unknown) => {
        throw error instanceof RegistryUnavailableError ? new RegistryUnavailableError(error.message, { at: record, cause: error }) : error;
      },
    );
  }
  const { keyCodec } = compiled;
  if (keyCodec) {
    const keyBytes = record.keyBytes;
    if (keyBytes === null) {
      record.keyValue = null;
      return decodeValue(compiled, record);
    }
    const key = decodePart(keyCodec, keyBytes, record, 'key');
    if (key instanceof Promise) {
      return key.then((decodedKey) => {
        record.keyValue = decodedKey;
        return decodeValue(compiled, record);
      });
    }
    record.keyValue = key;
  }
  return decodeValue(compiled, record);
}

function decodeValue(compiled: CompiledRoute, record: InboundRecord): unknown {
  const bytes = record.valueBytes as Buffer; // tombstones never get here
  const decoded = decodePart(compiled.codec, bytes, record, 'value');
  if (!compiled.schema) return decoded;
  const { schema } = compiled;
  if (decoded instanceof Promise) return decoded.then((value) => validateWithSchema(schema, value, record));
  return validateWithSchema(schema, decoded, record);
}

function decodePart(codec: Codec<unknown>, bytes: Buffer, record: InboundRecord, part: RecordPart): unknown {
  let decoded: unknown;
  try {
    decoded = codec.decode(bytes, record, part);
  } catch (error) {
    throw asDecodeError(error, codec, record, part);
  }
  if (decoded instanceof Promise) {
    return decoded.catch((error: unknown) => {
      throw asDecodeError(error, codec, record, part);
    });
  }
  return decoded;
}

function asDecodeError(error: unknown, codec: Codec<unknown>, record: InboundRecord, part: RecordPart): KafkaRouterError {
  if (error instanceof KafkaRouterError) return error;
  // Only the kind of failure: a codec's message (V8's JSON SyntaxError, say) quotes the value itself.
  return new DecodeError(part, `not valid ${codec.name} (${errorKind(error)})`, record);
}

function errorKind(error: unknown): string {
  return error instanceof Error ? error.name : `non-Error thrown: ${typeof error}`;
}
