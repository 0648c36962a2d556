import type { JsonSchema } from './json-schema.js';

/**
 * A deterministic example value for a JSON Schema: the schema's own
 * `examples`/`default`/`const` when it has one, else a value built to satisfy
 * the common constraints (types, required and optional properties, lengths,
 * bounds, formats, enums). `$ref`s resolve against `components`.
 */
export function exampleOf(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>> = {}): unknown {
  return sample(schema, components, 'value', 0);
}

const MAX_DEPTH = 8;

function sample(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>, name: string, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = components[ref.replace('#/components/schemas/', '')];
    return target ? sample(target, components, name, depth + 1) : null;
  }
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      // Prefer a non-null branch: a nullable field's example is more useful with a value.
      const branch = (options as JsonSchema[]).find((option) => option.type !== 'null') ?? (options[0] as JsonSchema | undefined);
      return branch ? sample(branch, components, name, depth + 1) : null;
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged = Object.assign({}, ...(schema.allOf as JsonSchema[]).map((part) => sample(part, components, name, depth + 1)));
    return merged;
  }
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return objectExample(schema, components, depth);
    case 'array': {
      const items = typeof schema.items === 'object' && schema.items !== null && !Array.isArray(schema.items) ? schema.items : {};
      const count = Math.max(1, Number(schema.minItems ?? 1));
      return Array.from({ length: count }, () => sample(items as JsonSchema, components, name, depth + 1));
    }
    case 'string':
      return stringExample(schema, name);
    case 'integer':
    case 'number':
      return numberExample(schema, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return schema.properties ? objectExample(schema, components, depth) : null;
  }
}

function objectExample(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, property] of Object.entries(properties)) out[key] = sample(property, components, key, depth + 1);
  return out;
}

const FORMATS: Readonly<Record<string, string>> = {
  'date-time': '2026-01-01T00:00:00.000Z',
  date: '2026-01-01',
  time: '00:00:00',
  email: 'someone@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
};

function stringExample(schema: JsonSchema, name: string): string {
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  if (format) return format;
  const min = Number(schema.minLength ?? 0);
  const max = schema.maxLength === undefined ? Number.POSITIVE_INFINITY : Number(schema.maxLength);
  // The property name makes a readable placeholder; padded or cut to the length bounds.
  let text = name;
  while (text.length < min) text += 'x';
  return text.length > max ? text.slice(0, max) : text;
}

function numberExample(schema: JsonSchema, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const exclusive = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  let value = minimum ?? (exclusive === undefined ? 1 : exclusive + 1);
  if (maximum !== undefined && value > maximum) value = maximum;
  return integer ? Math.ceil(value) : value;
}
