// A sample value for an Avro schema, for `events` and `demo` on routes that have an Avro codec but no Standard
// Schema to build an example from: deterministic (the same file every run), and valid for the schema.

type AvroSchema = string | readonly AvroSchema[] | { readonly type: AvroSchema; readonly [key: string]: unknown };

const PRIMITIVES: Readonly<Record<string, unknown>> = {
  null: null,
  boolean: true,
  int: 1,
  long: 1,
  float: 1.5,
  double: 1.5,
  string: 'string',
};

/** An example value of `schema` (parsed JSON or JSON text); undefined when the schema is not one it can read. */
export function avroExample(schema: unknown): unknown {
  let parsed: unknown = schema;
  if (typeof schema === 'string' && /^\s*[[{"]/.test(schema)) {
    try {
      parsed = JSON.parse(schema);
    } catch {
      return undefined;
    }
  }
  return exampleOf(parsed as AvroSchema, new Map(), undefined, 0);
}

function exampleOf(schema: AvroSchema, named: Map<string, AvroSchema>, namespace: string | undefined, depth: number): unknown {
  // A recursive schema (a linked list, a tree) ends in its first union branch or an empty array at this depth.
  if (depth > 16) return undefined;
  if (typeof schema === 'string') {
    if (schema in PRIMITIVES) return PRIMITIVES[schema];
    if (schema === 'bytes') return Buffer.from('bytes');
    const found = named.get(schema) ?? (namespace ? named.get(`${namespace}.${schema}`) : undefined);
    return found === undefined ? undefined : exampleOf(found, named, namespace, depth + 1);
  }
  if (Array.isArray(schema)) {
    // A union: its first branch that is not null, so the sample shows the field.
    const branch = schema.find((s) => s !== 'null') ?? schema[0];
    return branch === undefined ? null : exampleOf(branch, named, namespace, depth + 1);
  }
  const complex = schema as { readonly type: AvroSchema; readonly [key: string]: unknown };
  const own = typeof complex.namespace === 'string' ? complex.namespace : namespace;
  if (typeof complex.name === 'string') {
    named.set(complex.name, complex);
    if (own && !complex.name.includes('.')) named.set(`${own}.${complex.name}`, complex);
  }
  switch (complex.type) {
    case 'record':
    case 'error': {
      const fields = (complex.fields ?? []) as ReadonlyArray<{ name: string; type: AvroSchema; default?: unknown }>;
      return Object.fromEntries(fields.map((field) => [field.name, exampleOf(field.type, named, own, depth + 1)]));
    }
    case 'enum':
      return (complex.symbols as readonly string[] | undefined)?.[0];
    case 'array':
      return depth > 8 ? [] : [exampleOf(complex.items as AvroSchema, named, own, depth + 1)];
    case 'map':
      return depth > 8 ? {} : { key: exampleOf(complex.values as AvroSchema, named, own, depth + 1) };
    case 'fixed':
      return Buffer.alloc(typeof complex.size === 'number' ? complex.size : 0);
    default:
      // `{ "type": "long", "logicalType": … }` and other wrapped primitives
      return exampleOf(complex.type, named, own, depth + 1);
  }
}
