// The one place the tools (events, produce, demo, consume, capture) and the test broker get a route's codec ready, the way the
// router does before a route's first record: `prepare({ topic, part })` loads the format library and, with a
// registry, looks the schema up (or registers it). A tool may also ask for another framing of the same schema:
// bare payloads for sample events, or Confluent framing through a registry for a registry-checked topic.
import type { SchemaRegistry } from '../../runtime/codec/registry.js';
import type { SchemaCodec, SchemaCodecOptions, SchemaDeclaration } from '../../runtime/codec/schema-codec.js';
import { ConfigError } from '../../runtime/errors/index.js';
import type { Codec, EncodeTarget } from '../../runtime/event/codec.js';
import { encodeValue } from '../../runtime/event/encode.js';

/**
 * How a tool frames what it encodes: `route` as the route's codec does (its own registry, if any); `bare` the
 * payload alone (what Lambda hands over in SOURCE mode); `{ registry }` Confluent framing through that registry,
 * registering the codec's schema under the target's subject when it is missing.
 */
export type ToolFraming = 'route' | 'bare' | { readonly registry: SchemaRegistry };

/** A codec readied for one target: `encode` is synchronous from here on. */
export interface ReadyEncoder {
  /** The codec's name (`json`, `avro`…). */
  readonly codec: string;
  /** The schema format when the codec has one (Lambda's `dataFormat`). */
  readonly format: SchemaDeclaration['format'] | undefined;
  encode(value: unknown): Buffer | null;
}

/** True for the avro/protobuf/jsonSchema codecs (they describe what they were given). */
export function isSchemaCodec(codec: Codec<unknown> | undefined): codec is SchemaCodec<unknown> {
  return typeof (codec as Partial<SchemaCodec<unknown>> | undefined)?.declaration === 'object';
}

/**
 * Readies `codec` (undefined: the publishers' default, JSON) for `target` with the framing asked for.
 * Rejects with a ConfigError naming the codec when it cannot encode (a codec with a registry but no schema
 * of its own has nothing to encode with).
 */
export async function readyEncoder(codec: Codec<unknown> | undefined, target: EncodeTarget, framing: ToolFraming): Promise<ReadyEncoder> {
  if (!codec) return { codec: 'json', format: undefined, encode: (value) => (value === null ? null : encodeValue(value)) };
  const chosen = isSchemaCodec(codec) ? await reframed(codec, framing) : codec;
  await chosen.prepare?.(target);
  return {
    codec: codec.name,
    format: isSchemaCodec(codec) ? codec.declaration.format : undefined,
    encode(value) {
      if (value === null) return null;
      const encoded = chosen.encode(value, target);
      return typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
    },
  };
}

/** The same schema with another framing, or the codec itself when its framing already fits. */
async function reframed(codec: SchemaCodec<unknown>, framing: ToolFraming): Promise<SchemaCodec<unknown>> {
  const { declaration } = codec;
  if (framing === 'route') return codec;
  if (framing === 'bare' && !declaration.registry && declaration.framing === 'none') return codec;
  if (declaration.schema === undefined && declaration.typeObject === undefined) {
    throw new ConfigError(
      `The ${codec.name} codec has a registry but no schema of its own, so a tool cannot encode values with it: give the codec its schema too`,
    );
  }
  const options: SchemaCodecOptions =
    framing === 'bare' ? { framing: 'none' } : { registry: framing.registry, autoRegister: true, framing: 'confluent' };
  return codecFor(declaration, options);
}

/** A codec of `declaration`'s format and schema with other options (the format library loads only here). */
export async function codecFor(declaration: SchemaDeclaration, options: SchemaCodecOptions): Promise<SchemaCodec<unknown>> {
  switch (declaration.format) {
    case 'AVRO': {
      const { avro } = await import('../../runtime/codec/avro.js');
      return avro({ ...options, schema: declaration.schema as object | string });
    }
    case 'PROTOBUF': {
      const { protobuf } = await import('../../runtime/codec/protobuf.js');
      type ProtobufOptions = Parameters<typeof protobuf>[0];
      const own: ProtobufOptions = declaration.typeObject
        ? { type: declaration.typeObject as NonNullable<ProtobufOptions['type']> }
        : { schema: declaration.schema as string, ...(declaration.messageType ? { messageType: declaration.messageType } : {}) };
      return protobuf({ ...options, ...own });
    }
    case 'JSON': {
      const { jsonSchema } = await import('../../runtime/codec/json-schema.js');
      return jsonSchema({ ...options, schema: declaration.schema as Record<string, unknown> | boolean });
    }
  }
}
