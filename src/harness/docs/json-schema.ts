import type { StandardSchemaV1 } from '@standard-schema/spec';

/** A JSON Schema (draft-07, which AsyncAPI's default schema format extends) as a plain object. */
export type JsonSchema = { [key: string]: unknown };

/** A route schema as JSON Schema, or why it could not be converted. */
export type SchemaConversion =
  | { readonly ok: true; readonly schema: JsonSchema; readonly via: string }
  | { readonly ok: false; readonly reason: string };

type Converter = (schema: unknown) => JsonSchema;

// The converters of the libraries whose schemas do not expose `~standard.jsonSchema` themselves
// (zod/mini and valibot do not; zod classic and arktype do). Loaded only when such a schema shows up.
const VENDOR_CONVERTERS: Readonly<Record<string, { readonly package: string; load(): Promise<Converter> }>> = {
  zod: {
    package: 'zod',
    async load() {
      const { toJSONSchema } = (await import('zod/v4/core')) as unknown as {
        toJSONSchema: (schema: unknown, params: Record<string, unknown>) => JsonSchema;
      };
      return (schema) => toJSONSchema(schema, { target: 'draft-07', io: 'input', unrepresentable: 'throw' });
    },
  },
  valibot: {
    package: '@valibot/to-json-schema',
    async load() {
      const { toJsonSchema } = (await import('@valibot/to-json-schema')) as unknown as {
        toJsonSchema: (schema: unknown, config: Record<string, unknown>) => JsonSchema;
      };
      return (schema) => toJsonSchema(schema, { target: 'draft-07', errorMode: 'throw' });
    },
  },
};

/**
 * Converts a route's Standard Schema to the JSON Schema of what is on the
 * wire (the schema's input side): through the Standard JSON Schema interface
 * when the schema has it, else its library's own converter. Never falls back
 * to `{}`: a schema that cannot be described says why.
 */
export async function convertSchema(schema: StandardSchemaV1): Promise<SchemaConversion> {
  const props = schema['~standard'] as StandardSchemaV1.Props & {
    jsonSchema?: { input?: (options: { target: string }) => JsonSchema };
  };
  const standard = props.jsonSchema?.input;
  if (typeof standard === 'function') {
    return attempt(() => standard({ target: 'draft-07' }), 'Standard JSON Schema', `${props.vendor}'s Standard JSON Schema converter`);
  }
  const vendor = VENDOR_CONVERTERS[props.vendor];
  if (!vendor) {
    return {
      ok: false,
      reason: `no JSON Schema converter for '${props.vendor}' schemas: the schema does not implement Standard JSON Schema (~standard.jsonSchema), and only zod and valibot have a built-in fallback`,
    };
  }
  let convert: Converter;
  try {
    convert = await vendor.load();
  } catch (error) {
    return {
      ok: false,
      reason: `'${props.vendor}' schemas are converted with ${vendor.package}, which cannot be loaded (${messageOf(error)})`,
    };
  }
  return attempt(() => convert(schema), vendor.package, vendor.package);
}

function attempt(convert: () => JsonSchema, via: string, converterName: string): SchemaConversion {
  try {
    const schema = convert();
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      return { ok: false, reason: `${converterName} returned no JSON Schema object` };
    }
    return { ok: true, schema, via };
  } catch (error) {
    return { ok: false, reason: `${converterName} cannot convert it: ${messageOf(error)}` };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Prepares a converted schema for embedding in an AsyncAPI document: drops
 * `$schema`, and moves local definitions (`definitions`, `$defs`, and the root
 * itself when it is recursive) to `components.schemas` under `prefix`, since
 * `#/…` references would otherwise point into the AsyncAPI document's root.
 */
export function embedSchema(schema: JsonSchema, prefix: string): { payload: JsonSchema; components: Record<string, JsonSchema> } {
  const { $schema: _dialect, definitions, $defs, ...root } = schema;
  const local = { ...(asRecord(definitions) ?? {}), ...(asRecord($defs) ?? {}) };
  let recursive = false;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== 'object' || node === null) return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) {
        const name = /^#\/(?:definitions|\$defs)\/(.+)$/.exec(value)?.[1];
        if (value === '#') recursive = true;
        out[key] = `#/components/schemas/${name === undefined ? prefix : `${prefix}.${name}`}`;
      } else {
        out[key] = rewrite(value);
      }
    }
    return out;
  };
  const components: Record<string, JsonSchema> = {};
  for (const [name, definition] of Object.entries(local)) components[`${prefix}.${name}`] = rewrite(definition) as JsonSchema;
  const payload = rewrite(root) as JsonSchema;
  if (!recursive) return { payload, components };
  components[prefix] = payload;
  return { payload: { $ref: `#/components/schemas/${prefix}` }, components };
}

function asRecord(value: unknown): Record<string, JsonSchema> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, JsonSchema>) : undefined;
}
