// What Lambda's ESM does with a schema registry configured (provisioned mode), emulated: it reads each
// record's Confluent frame, fetches the schema, deserializes, and hands the function either the original
// bytes (SOURCE: without the header and without schema metadata by default, see SourceKeeps) or a JSON
// rendering with `valueSchemaMetadata`/`keySchemaMetadata` (JSON); a record it cannot handle goes to the
// on-failure destination as SCHEMA_NOT_FOUND or DESERIALIZATION_ERROR.
import { avro } from '../../../runtime/codec/avro.js';
import { CONFLUENT_HEADER_BYTES, looksConfluent } from '../../../runtime/codec/framing/confluent.js';
import { jsonSchema } from '../../../runtime/codec/json-schema.js';
import { protobuf } from '../../../runtime/codec/protobuf.js';
import type { SchemaFormat } from '../../../runtime/codec/registry.js';
import type { SchemaCodec } from '../../../runtime/codec/schema-codec.js';
import { ConfigError, DecodeError, SchemaNotFoundError } from '../../../runtime/errors/index.js';
import type { KafkaRecord } from '../../../runtime/event/record.js';
import type { SchemaMetadata } from '../../../runtime/event/types.js';
import { confluentRegistry } from '../../../runtime/registry/confluent.js';
import type { EventMessage } from '../../testing/build-event.js';

/** `schemaRegistry` of an msk/kafka event in serverless.yml. */
export interface SchemaRegistrySettings {
  readonly uri: string;
  readonly eventRecordFormat: 'JSON' | 'SOURCE';
  /** `SchemaValidationConfigs` attributes; VALUE when none are given. */
  readonly attributes: ReadonlyArray<'KEY' | 'VALUE'>;
  /**
   * SOURCE mode: what the emulator leaves in place. AWS documents that Lambda "removes all schema metadata,
   * such as the schema ID", not whether the header leaves the bytes (UNCONFIRMED), so both can be emulated.
   * Default: neither (no header, no `valueSchemaMetadata`); `EMULATOR_SOURCE_KEEPS=header,metadata` sets it too.
   */
  readonly sourceKeeps?: SourceKeeps;
}

/** What SOURCE-mode records keep of the registry's framing. */
export interface SourceKeeps {
  /** The Confluent header (magic byte and schema id) in the bytes. */
  readonly header: boolean;
  /** `valueSchemaMetadata`/`keySchemaMetadata` with the schema id, as Powertools' recorded events have. */
  readonly metadata: boolean;
}

/** `EMULATOR_SOURCE_KEEPS`: a comma-separated list of `header`, `metadata`. */
export function sourceKeepsFromEnv(value = process.env.EMULATOR_SOURCE_KEEPS): SourceKeeps {
  const kept = new Set((value ?? '').split(',').map((part) => part.trim()));
  return { header: kept.has('header'), metadata: kept.has('metadata') };
}

/** Why Lambda would not deliver a record (the on-failure `requestContext.condition`). */
export type RegistryFailure = 'SCHEMA_NOT_FOUND' | 'DESERIALIZATION_ERROR';

/**
 * A record as the function gets it, with the JSON rendering of each part it decoded (what filter criteria read:
 * Lambda filters the deserialized record), or why it is not delivered.
 */
export type RegistryVerdict =
  | { readonly delivered: EventMessage; readonly decoded: { key?: Buffer; value?: Buffer } }
  | { readonly failure: RegistryFailure; readonly reason: string };

/**
 * Returns the per-record step for one mapping. Only Confluent-compatible
 * registries (such as the harness's local one) are emulated: a Glue registry
 * ARN is refused with a clear message.
 */
export function schemaRegistryMode(settings: SchemaRegistrySettings): (message: EventMessage) => Promise<RegistryVerdict> {
  if (!/^https?:\/\//.test(settings.uri)) {
    throw new ConfigError(
      `The local emulator emulates Confluent-compatible schema registries only; ${settings.uri.slice(0, 20)}… is not an http(s) URL`,
    );
  }
  const registry = confluentRegistry({ url: settings.uri });
  const codecs: Record<SchemaFormat, SchemaCodec<unknown>> = {
    AVRO: avro({ registry, framing: 'confluent', lambdaRecordFormat: 'SOURCE' }),
    PROTOBUF: protobuf({ registry, framing: 'confluent', lambdaRecordFormat: 'SOURCE' }),
    JSON: jsonSchema({ registry, framing: 'confluent', lambdaRecordFormat: 'SOURCE' }),
  };
  const attributes = settings.attributes.length > 0 ? settings.attributes : (['VALUE'] as const);
  const keeps = settings.sourceKeeps ?? sourceKeepsFromEnv();

  return async (message) => {
    let delivered: EventMessage = message;
    const decodedParts: { key?: Buffer; value?: Buffer } = {};
    for (const attribute of attributes) {
      const part = attribute === 'KEY' ? 'key' : 'value';
      const raw = part === 'key' ? message.key : message.value;
      if (raw === null || raw === undefined) continue;
      const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
      if (!looksConfluent(bytes)) return { failure: 'DESERIALIZATION_ERROR', reason: `the ${part} is not Confluent-framed` };
      const id = String(bytes.readUInt32BE(1));
      let format: SchemaFormat;
      try {
        format = (await registry.schemaById(id)).format;
      } catch (error) {
        if (error instanceof SchemaNotFoundError)
          return { failure: 'SCHEMA_NOT_FOUND', reason: `schema ${id} of the ${part} is not registered` };
        throw error; // an unreachable registry: the records are read again, as Lambda retries
      }
      const coordinates = {
        topic: message.topic,
        partition: message.partition ?? 0,
        offset: message.offset ?? 0,
      } as unknown as KafkaRecord;
      let decoded: unknown;
      try {
        decoded = await codecs[format].decode(bytes, coordinates, part);
      } catch (error) {
        if (error instanceof DecodeError) return { failure: 'DESERIALIZATION_ERROR', reason: `the ${part} does not match schema ${id}` };
        throw error;
      }
      const json = settings.eventRecordFormat === 'JSON';
      const rendering = Buffer.from(JSON.stringify(decoded));
      decodedParts[part] = rendering;
      const rendered = json ? rendering : keeps.header ? bytes : bytes.subarray(CONFLUENT_HEADER_BYTES);
      const metadata: SchemaMetadata | undefined = json || keeps.metadata ? { dataFormat: format, schemaId: id } : undefined;
      delivered =
        part === 'key'
          ? { ...delivered, key: rendered, ...(metadata ? { keySchemaMetadata: metadata } : {}) }
          : { ...delivered, value: rendered, ...(metadata ? { valueSchemaMetadata: metadata } : {}) };
    }
    return { delivered, decoded: decodedParts };
  };
}
