import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError, DecodeError, PermanentError } from '../errors/index.js';
import type { ResolvedReference } from './registry.js';
import { createSchemaCodec, type FormatDriver, type SchemaCodec, type SchemaCodecOptions } from './schema-codec.js';

// The types every schema codec shares, so that users of this entry need no other.
export type { Framing } from './framing/detect.js';
export type { SchemaFormat } from './registry.js';
export type { LambdaRecordFormat, SchemaCodec, SchemaCodecOptions } from './schema-codec.js';

/** Options of {@link jsonSchema}. */
export interface JsonSchemaCodecOptions extends SchemaCodecOptions {
  /** The JSON Schema (draft-07, as Confluent's serializers write by default) to validate with. */
  readonly schema?: Record<string, unknown> | boolean;
  /** Validate decoded values against the schema (default true). */
  readonly validate?: boolean;
}

/**
 * JSON text checked against a JSON Schema, for keys or values:
 * `jsonSchema({ schema })`, `jsonSchema({ registry })` or both (the codec's own
 * schema then wins). ajv is imported at the first decode, not at cold start.
 */
export function jsonSchema<T = unknown>(options: JsonSchemaCodecOptions): SchemaCodec<T> {
  const { schema } = options;
  const validate = options.validate ?? true;
  const driver: FormatDriver<ValidateFunction | undefined> = {
    name: 'jsonSchema',
    format: 'JSON',
    declared: { schema },
    local: schema === undefined ? undefined : async () => (validate ? compile(await loadAjv(), schema, []) : undefined),
    resolvesWriterSchema: false,
    async registered(registered) {
      if (!validate) return undefined;
      return compile(await loadAjv(), parseSchema(registered.definition), registered.references);
    },
    decode(check, unframed, source) {
      let value: unknown;
      try {
        value = JSON.parse(unframed.bytes.toString('utf8', unframed.start));
      } catch {
        // JSON.parse messages quote the text: say only what is wrong.
        throw new DecodeError(source.part, 'not valid JSON text', source.at);
      }
      if (check && !check(value))
        throw new DecodeError(source.part, `does not match the JSON Schema: ${describeIssues(check.errors)}`, source.at);
      return value;
    },
    registrable() {
      if (schema === undefined) return undefined;
      const title = typeof schema === 'object' ? schema.title : undefined;
      return { definition: JSON.stringify(schema), recordName: typeof title === 'string' ? title : undefined };
    },
    encode(check, value) {
      if (check && !check(value)) throw new PermanentError(`the value does not match the JSON Schema: ${describeIssues(check.errors)}`);
      return Buffer.from(JSON.stringify(value), 'utf8');
    },
  };
  return createSchemaCodec<T, ValidateFunction | undefined>(driver, options);
}

type AjvConstructor = typeof Ajv;
let ajv: Promise<AjvConstructor> | undefined;

/** ajv, imported on first use. */
function loadAjv(): Promise<AjvConstructor> {
  ajv ??= import('ajv').then((m) => ('Ajv' in m ? m.Ajv : (m as { default: { Ajv: AjvConstructor } }).default.Ajv));
  return ajv;
}

function compile(
  Ajv: AjvConstructor,
  schema: Record<string, unknown> | boolean,
  references: readonly ResolvedReference[],
): ValidateFunction {
  // Registry schemas carry keywords ajv does not know (titles, javaType…): not strict. One instance per schema: ids may repeat across versions.
  const ajv = new Ajv({ strict: false, allErrors: false });
  const seen = new Set<string>();
  const add = (refs: readonly ResolvedReference[]): void => {
    for (const ref of refs) {
      if (seen.has(ref.name)) continue;
      seen.add(ref.name);
      add(ref.references);
      ajv.addSchema(parseSchema(ref.definition) as Record<string, unknown>, ref.name);
    }
  };
  add(references);
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new ConfigError('jsonSchema(): the schema does not compile', { cause: error });
  }
}

function parseSchema(text: string): Record<string, unknown> | boolean {
  try {
    return JSON.parse(text) as Record<string, unknown> | boolean;
  } catch (error) {
    throw new ConfigError('jsonSchema(): the registry schema is not JSON text', { cause: error });
  }
}

/** Paths and rules only: ajv's `data` is never included. */
function describeIssues(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`)
    .join('; ');
}
