// The state of the local Confluent-compatible schema registry: schemas by id, subjects with versions.
// No compatibility checks: every registration is accepted (this is for local runs and tests).

/** A schema reference as Confluent's REST API spells it. */
export interface SchemaReferenceBody {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A schema as registered: Confluent's `schemaType` (absent = AVRO), text and references. */
export interface StoredSchema {
  readonly id: number;
  readonly schemaType: 'AVRO' | 'PROTOBUF' | 'JSON';
  readonly schema: string;
  readonly references: readonly SchemaReferenceBody[];
}

/** One version of a subject. */
export interface SubjectVersion {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
}

/** Why a store operation refused (mapped to Confluent's error codes by the server). */
export type StoreRefusal = { readonly status: 404 | 422; readonly errorCode: number; readonly message: string };

/** Registry state with Confluent's id and version rules: one id per distinct schema, versions per subject from 1. */
export class RegistryStore {
  private readonly byId = new Map<number, StoredSchema>();
  private readonly subjects = new Map<string, SubjectVersion[]>();
  private nextId = 1;

  /** The schema with this id. */
  schema(id: number): StoredSchema | undefined {
    return this.byId.get(id);
  }

  /** Subject names, registration order. */
  subjectNames(): string[] {
    return [...this.subjects.keys()].filter((s) => (this.subjects.get(s)?.length ?? 0) > 0);
  }

  /** The versions of a subject, or undefined when it has none. */
  versions(subject: string): readonly SubjectVersion[] | undefined {
    const versions = this.subjects.get(subject);
    return versions && versions.length > 0 ? versions : undefined;
  }

  /** `latest` or a version number. */
  version(subject: string, version: string): SubjectVersion | StoreRefusal {
    const versions = this.versions(subject);
    if (!versions) return { status: 404, errorCode: 40401, message: `Subject '${subject}' not found.` };
    const found =
      version === 'latest' || version === '-1' ? versions[versions.length - 1] : versions.find((v) => String(v.version) === version);
    return found ?? { status: 404, errorCode: 40402, message: `Version ${version} not found.` };
  }

  /** Subject/version pairs that use a schema id. */
  usages(id: number): SubjectVersion[] {
    return [...this.subjects.values()].flat().filter((v) => v.id === id);
  }

  /** Registers (idempotently) under `subject`; returns the id. */
  register(
    subject: string,
    schemaType: StoredSchema['schemaType'],
    schema: string,
    references: readonly SchemaReferenceBody[],
  ): SubjectVersion | StoreRefusal {
    const invalid = validate(schemaType, schema);
    if (invalid) return { status: 422, errorCode: 42201, message: `Invalid schema: ${invalid}` };
    const missing = references.find((ref) => 'status' in this.version(ref.subject, String(ref.version)));
    if (missing)
      return { status: 422, errorCode: 42201, message: `Invalid schema: reference ${missing.subject}/${missing.version} not found` };
    const existing = this.find(subject, schemaType, schema, references);
    if (existing && !('status' in existing)) return existing;
    const id = this.idOf(schemaType, schema, references) ?? this.add(schemaType, schema, references);
    const versions = this.subjects.get(subject) ?? [];
    const entry = { subject, version: (versions[versions.length - 1]?.version ?? 0) + 1, id };
    versions.push(entry);
    this.subjects.set(subject, versions);
    return entry;
  }

  /** The subject version holding this schema (`POST /subjects/{subject}`). */
  find(
    subject: string,
    schemaType: StoredSchema['schemaType'],
    schema: string,
    references: readonly SchemaReferenceBody[],
  ): SubjectVersion | StoreRefusal {
    const versions = this.versions(subject);
    if (!versions) return { status: 404, errorCode: 40401, message: `Subject '${subject}' not found.` };
    const id = this.idOf(schemaType, schema, references);
    const found = id === undefined ? undefined : versions.find((v) => v.id === id);
    return found ?? { status: 404, errorCode: 40403, message: 'Schema not found' };
  }

  /** Deletes a subject; returns the versions it had. */
  deleteSubject(subject: string): number[] | StoreRefusal {
    const versions = this.versions(subject);
    if (!versions) return { status: 404, errorCode: 40401, message: `Subject '${subject}' not found.` };
    this.subjects.delete(subject);
    return versions.map((v) => v.version);
  }

  private idOf(schemaType: StoredSchema['schemaType'], schema: string, references: readonly SchemaReferenceBody[]): number | undefined {
    const key = canonical(schemaType, schema, references);
    for (const stored of this.byId.values()) if (canonical(stored.schemaType, stored.schema, stored.references) === key) return stored.id;
    return undefined;
  }

  private add(schemaType: StoredSchema['schemaType'], schema: string, references: readonly SchemaReferenceBody[]): number {
    const id = this.nextId++;
    this.byId.set(id, { id, schemaType, schema, references });
    return id;
  }
}

function canonical(schemaType: string, schema: string, references: readonly SchemaReferenceBody[]): string {
  let text = schema.trim();
  if (schemaType !== 'PROTOBUF') {
    try {
      text = JSON.stringify(JSON.parse(text));
    } catch {
      // validate() refuses non-JSON before it gets here; keep the text as is.
    }
  }
  return JSON.stringify([schemaType, text, references.map((r) => [r.name, r.subject, r.version])]);
}

function validate(schemaType: string, schema: string): string | undefined {
  if (!schema.trim()) return 'empty schema';
  if (schemaType === 'PROTOBUF') return undefined;
  try {
    JSON.parse(schema);
    return undefined;
  } catch {
    return `${schemaType} schema is not JSON`;
  }
}
