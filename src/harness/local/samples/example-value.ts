import type { JsonSchema } from './json-schema.js';

/**
 * A plausible value for a JSON Schema (the subset schema libraries emit): `examples`, `default`, `const` and
 * `enum` first, then a value built from the type and its bounds and formats. `n` varies ids and numbers
 * between samples. Patterns cannot be honoured, so callers validate the result with the real schema.
 */
export function exampleValue(schema: JsonSchema, n = 0, root: JsonSchema = schema, name = 'value', depth = 0): unknown {
  if (depth > 12) return null;
  const recurse = (child: unknown, childName: string) => exampleValue(asSchema(child), n, root, childName, depth + 1);
  if (typeof schema.$ref === 'string') return recurse(resolveRef(root, schema.$ref), name);
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[n % schema.examples.length];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[n % schema.enum.length];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const choice = options.find((option) => asSchema(option).type !== 'null') ?? options[0];
      return recurse(choice, name);
    }
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...schema.allOf.map((part) => recurse(part, name)).filter((part) => typeof part === 'object'));
  }
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = asSchema(schema.properties);
      return Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, recurse(child, key)]));
    }
    case 'array': {
      const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
      return Array.from({ length: count }, () => recurse(schema.items ?? {}, name));
    }
    case 'string':
      return exampleString(schema, n, name);
    case 'integer':
    case 'number':
      return exampleNumber(schema, n, type === 'integer');
    case 'boolean':
      return n % 2 === 0;
    case 'null':
      return null;
    default:
      return schema.properties ? recurse({ ...schema, type: 'object' }, name) : `${name}-${n + 1}`;
  }
}

/** The same schema without its optional properties (a second try when the full sample fails validation). */
export function requiredOnly(schema: JsonSchema, root: JsonSchema = schema, depth = 0): JsonSchema {
  if (depth > 12) return schema;
  const target = typeof schema.$ref === 'string' ? asSchema(resolveRef(root, schema.$ref)) : schema;
  if (!target.properties) return target;
  const required = new Set(Array.isArray(target.required) ? target.required : []);
  const properties = Object.fromEntries(
    Object.entries(asSchema(target.properties))
      .filter(([key]) => required.has(key))
      .map(([key, child]) => [key, requiredOnly(asSchema(child), root, depth + 1)]),
  );
  return { ...target, properties };
}

function exampleString(schema: JsonSchema, n: number, name: string): string {
  const formats: Record<string, () => string> = {
    'date-time': () => new Date(Date.UTC(2026, 0, 1, 9, 0, n % 60)).toISOString(),
    date: () => '2026-01-01',
    time: () => '09:00:00Z',
    email: () => `user${n + 1}@example.com`,
    uuid: () => `00000000-0000-4000-8000-${String(n + 1).padStart(12, '0')}`,
    uri: () => `https://example.com/${name}/${n + 1}`,
    url: () => `https://example.com/${name}/${n + 1}`,
    ipv4: () => `192.0.2.${(n % 254) + 1}`,
  };
  let value = (typeof schema.format === 'string' ? formats[schema.format]?.() : undefined) ?? `${name}-${n + 1}`;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  if (value.length < min) value = value.padEnd(min, 'x');
  return value.slice(0, max);
}

function exampleNumber(schema: JsonSchema, n: number, integer: boolean): number {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const low = num('minimum') ?? (num('exclusiveMinimum') !== undefined ? (num('exclusiveMinimum') as number) + 1 : undefined);
  const high = num('maximum') ?? (num('exclusiveMaximum') !== undefined ? (num('exclusiveMaximum') as number) - 1 : undefined);
  let value = integer ? n + 1 : (n + 1) * 1.5;
  if (low !== undefined && value < low) value = low;
  if (high !== undefined && value > high) value = high;
  return integer ? Math.round(value) : value;
}

function resolveRef(root: JsonSchema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return {};
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => asSchema(node)[part.replace(/~1/g, '/').replace(/~0/g, '~')], root);
}

function asSchema(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null ? (value as JsonSchema) : {};
}
