import type * as Avsc from 'avsc';
import type { Resolver, Schema, Type } from 'avsc';
import { ConfigError, PermanentError } from '../errors/index.js';
import { payloadOf } from './framing/detect.js';
import type { ResolvedReference } from './registry.js';
import { createSchemaCodec, type FormatDriver, type SchemaCodec, type SchemaCodecOptions } from './schema-codec.js';

// The types every schema codec shares, so that users of this entry need no other.
export type { Framing } from './framing/detect.js';
export type { SchemaFormat } from './registry.js';
export type { LambdaRecordFormat, SchemaCodec, SchemaCodecOptions } from './schema-codec.js';

/** An Avro schema: the parsed JSON (an object), or its text, or a primitive type name such as `"string"`. */
export type AvroSchema = object | string;

/** Options of {@link avro}. */
export interface AvroCodecOptions extends SchemaCodecOptions {
  /** The reader schema. With a registry too, records written with another (compatible) schema are resolved to it. */
  readonly schema?: AvroSchema;
}

interface CompiledAvro {
  readonly reader: Type;
  readonly resolver: Resolver | undefined;
}

/**
 * Avro binary, for keys or values: `codec: avro({ schema })`, `avro({ registry })`
 * or both. avsc is imported at the first decode, not at cold start.
 */
export function avro<T = unknown>(options: AvroCodecOptions): SchemaCodec<T> {
  const { schema } = options;
  const driver: FormatDriver<CompiledAvro> = {
    name: 'avro',
    format: 'AVRO',
    declared: { schema },
    local: schema === undefined ? undefined : async () => ({ reader: await forSchema(parseSchema(schema), []), resolver: undefined }),
    resolvesWriterSchema: true,
    async registered(registered, local) {
      const writer = await forSchema(parseSchema(registered.definition), registered.references);
      if (!local) return { reader: writer, resolver: undefined };
      // Throws when the writer schema cannot be read as the reader schema: a permanent DecodeError for the record.
      return { reader: local.reader, resolver: local.reader.equals(writer) ? undefined : local.reader.createResolver(writer) };
    },
    decode(compiled, unframed) {
      return compiled.reader.fromBuffer(payloadOf(unframed), compiled.resolver);
    },
    registrable(compiled) {
      if (schema === undefined) return undefined;
      return { definition: JSON.stringify(parseSchema(schema)), recordName: compiled.reader.name };
    },
    encode(compiled, value) {
      const paths: string[] = [];
      if (!compiled.reader.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '(root)') })) {
        // avsc's own message quotes the value: name the paths only.
        throw new PermanentError(
          `the value does not match Avro schema '${compiled.reader.name ?? compiled.reader.typeName}' at ${paths.slice(0, 5).join(', ')}`,
        );
      }
      return compiled.reader.toBuffer(value);
    },
  };
  return createSchemaCodec<T, CompiledAvro>(driver, options);
}

type AvscTypes = Pick<typeof Avsc, 'Type'>;
let avsc: Promise<AvscTypes> | undefined;

/**
 * avsc's types-only entry, imported on first use: the codec needs `Type` alone,
 * and this entry leaves avsc's file, stream and RPC code out of the bundle.
 * avsc is CommonJS: Node's loader puts it on `default`, bundlers may not.
 */
function loadAvsc(): Promise<AvscTypes> {
  avsc ??= import('avsc/etc/browser/avsc-types.js').then((m) => ('Type' in m ? m : (m as { default: AvscTypes }).default));
  return avsc;
}

function parseSchema(schema: AvroSchema): Schema {
  if (typeof schema !== 'string') return schema as Schema;
  const text = schema.trim();
  // Not JSON: a primitive type name (`string`, `long`…), which avsc checks.
  if (!/^[[{"]/.test(text)) return text as Schema;
  try {
    return JSON.parse(text) as Schema;
  } catch (error) {
    throw new ConfigError('avro(): the schema is not JSON text', { cause: error });
  }
}

async function forSchema(schema: Schema, references: readonly ResolvedReference[]): Promise<Type> {
  const { Type } = await loadAvsc();
  // Named types from referenced schemas are registered first, so the main schema can use them by name.
  const registry: Record<string, Type> = {};
  const visit = (refs: readonly ResolvedReference[]): void => {
    for (const ref of refs) {
      visit(ref.references);
      Type.forSchema(parseSchema(ref.definition), { registry });
    }
  };
  visit(references);
  return Type.forSchema(schema, { registry });
}
