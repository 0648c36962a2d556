import { escapeHtml } from './escape.js';
import type { JsonSchema } from './json-schema.js';
import { renderJson, renderSchemaTable, resolveSchema } from './schema-view.js';

// How a message value is shown on the page: JSON Schema as a table, Avro as a table of its fields,
// Protobuf as its .proto text. Each with the schema itself one click away.

const text = (value: unknown): string => escapeHtml(String(value ?? ''));

/** A message value's schema, readable: by its `schemaFormat` (a Multi Format Schema Object) or as JSON Schema. */
export function renderValueSchema(payload: JsonSchema, document: JsonSchema): string {
  const format = typeof payload.schemaFormat === 'string' ? payload.schemaFormat : undefined;
  const schema = payload.schema;
  if (format?.startsWith('application/vnd.apache.avro')) {
    return `${formatBadge('Avro', format)}${renderAvroTable(schema)}<details><summary>Avro schema</summary>${renderJson(schema)}</details>`;
  }
  if (format?.startsWith('application/vnd.google.protobuf') && typeof schema === 'string') {
    const type =
      typeof payload['x-message-type'] === 'string'
        ? ` <span class="muted">message <code>${text(payload['x-message-type'])}</code></span>`
        : '';
    return `${formatBadge('Protobuf', format)}${type}<pre class="proto"><code>${text(schema)}</code></pre>`;
  }
  if (format && typeof schema === 'object' && schema !== null) {
    const inner = schema as JsonSchema;
    return `${formatBadge('JSON Schema', format)}${renderSchemaTable(inner, document)}<details><summary>JSON Schema</summary>${renderJson(resolveSchema(inner, document))}</details>`;
  }
  return `${renderSchemaTable(payload, document)}<details><summary>JSON Schema</summary>${renderJson(resolveSchema(payload, document))}</details>`;
}

function formatBadge(name: string, format: string): string {
  return `<p><span class="badge format" title="${text(format)}">${text(name)}</span></p>`;
}

interface AvroRow {
  readonly path: string;
  readonly type: string;
  readonly notes: string;
}

/** A message's codec-schema extras: the route's schema checked after decoding, and the schema registry. */
export function renderCodecNotes(message: JsonSchema, document: JsonSchema): string {
  const decoded = message['x-decoded-value-schema'] as JsonSchema | undefined;
  const registries = [
    ['value', message['x-schema-registry']],
    ['key', message['x-key-schema-registry']],
  ].flatMap(([part, value]) => (typeof value === 'object' && value !== null ? [[part, value as JsonSchema] as const] : []));
  const lines = registries.map(
    ([part, registry]) =>
      `<p><strong>Schema registry (${text(part)})</strong>: ${text(registry.description)}${registry.subject ? `, subject <code>${text(registry.subject)}</code>` : ''}${registry.subjectNameStrategy ? ` <span class="muted">(${text(registry.subjectNameStrategy)})</span>` : ''}</p>`,
  );
  return `${decoded ? `<details><summary>Checked after decoding (the route’s schema)</summary>${renderSchemaTable(decoded, document)}</details>` : ''}${lines.join('')}`;
}

/** The fields of an Avro record (nested records flattened into paths such as `address.city`), with their Avro types. */
export function renderAvroTable(schema: unknown): string {
  const rows: AvroRow[] = [];
  collectAvro(schema, '', rows, new Set(), 0);
  if (rows.length === 0) return `<p class="schema-note">Avro <code>${text(avroType(schema))}</code></p>`;
  const body = rows
    .map((row) => `<tr><td><code>${text(row.path)}</code></td><td><code>${text(row.type)}</code></td><td>${text(row.notes)}</td></tr>`)
    .join('');
  return `<table class="schema"><thead><tr><th>field</th><th>Avro type</th><th>default and notes</th></tr></thead><tbody>${body}</tbody></table>`;
}

type AvroNode = { readonly [key: string]: unknown };

function collectAvro(schema: unknown, prefix: string, rows: AvroRow[], named: Set<string>, depth: number): void {
  const record = recordOf(schema);
  if (!record || depth > 8) return;
  named.add(String(record.name));
  for (const field of (record.fields ?? []) as AvroNode[]) {
    const path = prefix ? `${prefix}.${String(field.name)}` : String(field.name);
    const notes = [
      field.default !== undefined ? `default ${JSON.stringify(field.default)}` : '',
      typeof field.doc === 'string' ? field.doc : '',
    ];
    rows.push({ path, type: avroType(field.type), notes: notes.filter(Boolean).join('; ') });
    const nested = recordOf(field.type) ?? recordOf(unionBranches(field.type).find((branch) => recordOf(branch)));
    if (nested && !named.has(String(nested.name))) collectAvro(nested, path, rows, named, depth + 1);
  }
}

function recordOf(schema: unknown): AvroNode | undefined {
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema) && (schema as AvroNode).type === 'record'
    ? (schema as AvroNode)
    : undefined;
}

function unionBranches(schema: unknown): unknown[] {
  return Array.isArray(schema) ? schema : [];
}

/** An Avro type as people write it: `long`, `null | string`, `enum PaymentMethod { CARD, SEPA }`, `array<string>`. */
function avroType(schema: unknown): string {
  if (typeof schema === 'string') return schema;
  if (Array.isArray(schema)) return schema.map((branch) => avroType(branch)).join(' | ');
  if (typeof schema !== 'object' || schema === null) return 'any';
  const node = schema as AvroNode;
  const logical = typeof node.logicalType === 'string' ? ` (${node.logicalType})` : '';
  switch (node.type) {
    case 'enum':
      return `enum ${String(node.name)} { ${((node.symbols ?? []) as string[]).join(', ')} }`;
    case 'array':
      return `array<${avroType(node.items)}>`;
    case 'map':
      return `map<${avroType(node.values)}>`;
    case 'fixed':
      return `fixed ${String(node.name)}(${String(node.size)})${logical}`;
    case 'record':
      return `record ${String(node.name)}`;
    default:
      return `${avroType(node.type)}${logical}`;
  }
}
