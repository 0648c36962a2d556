import { escapeHtml } from './escape.js';
import type { JsonSchema } from './json-schema.js';

/** One row of a schema table: a property path with its type and constraints. */
interface SchemaRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly notes: string;
}

const CONSTRAINTS = [
  'format',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'contentMediaType',
];

/** Resolves a `#/components/schemas/…` reference against the document (other schemas pass through). */
export function resolveSchema(schema: JsonSchema, document: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    const target = ((document.components as JsonSchema | undefined)?.schemas as Record<string, JsonSchema> | undefined)?.[name];
    if (!target) break;
    current = target;
  }
  return current;
}

/** A table of a schema's properties, nested objects and array items flattened into paths (`lines[].sku`). */
export function renderSchemaTable(schema: JsonSchema, document: JsonSchema): string {
  const rows: SchemaRow[] = [];
  collect(resolveSchema(schema, document), document, '', true, rows, 0);
  if (rows.length === 0) {
    const resolved = resolveSchema(schema, document);
    return `<p class="schema-note">${escapeHtml(String(resolved.description ?? `${typeOf(resolved)}`))}</p>`;
  }
  const body = rows
    .map(
      (row) =>
        `<tr><td><code>${escapeHtml(row.path)}</code></td><td>${escapeHtml(row.type)}</td><td>${row.required ? 'yes' : ''}</td><td>${escapeHtml(row.notes)}</td></tr>`,
    )
    .join('');
  return `<table class="schema"><thead><tr><th>field</th><th>type</th><th>required</th><th>constraints and notes</th></tr></thead><tbody>${body}</tbody></table>`;
}

function collect(schema: JsonSchema, document: JsonSchema, prefix: string, required: boolean, rows: SchemaRow[], depth: number): void {
  if (depth > 8) return;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return;
  const requiredNames = new Set((schema.required ?? []) as string[]);
  for (const [name, raw] of Object.entries(properties)) {
    const property = resolveSchema(raw, document);
    const path = prefix ? `${prefix}.${name}` : name;
    rows.push({ path, type: typeOf(property), required: required && requiredNames.has(name), notes: notesOf(property) });
    collect(property, document, path, required && requiredNames.has(name), rows, depth + 1);
    const items = property.items as JsonSchema | undefined;
    if (items && typeof items === 'object' && !Array.isArray(items))
      collect(resolveSchema(items, document), document, `${path}[]`, true, rows, depth + 1);
  }
}

function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `enum: ${schema.enum.map((v) => JSON.stringify(v)).join(' | ')}`;
  if (schema.const !== undefined) return `const ${JSON.stringify(schema.const)}`;
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) return union.map(typeOf).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  if (schema.type === 'array') {
    const items = schema.items as JsonSchema | undefined;
    return `array of ${items && !Array.isArray(items) ? typeOf(items) : 'any'}`;
  }
  return typeof schema.type === 'string' ? schema.type : 'any';
}

function notesOf(schema: JsonSchema): string {
  const constraints = CONSTRAINTS.filter((key) => schema[key] !== undefined).map((key) => `${key} ${String(schema[key])}`);
  return [...constraints, typeof schema.description === 'string' ? schema.description : ''].filter(Boolean).join('; ');
}

/** Pretty-printed JSON in a `<pre>` block. */
export function renderJson(value: unknown): string {
  return `<pre class="json"><code>${escapeHtml(JSON.stringify(value, null, 2))}</code></pre>`;
}
