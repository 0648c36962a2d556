// What codecs need from a schema registry. Clients: ../registry/confluent.ts and ../registry/glue.ts.

/** The formats both registries (and Lambda's `dataFormat`) name. */
export type SchemaFormat = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A schema another schema imports (Protobuf `import`, Avro named type, JSON Schema `$ref`), already fetched. */
export interface ResolvedReference {
  /** The name it is imported by (a .proto file name, an Avro full name, a `$ref` URL). */
  readonly name: string;
  readonly definition: string;
  readonly references: readonly ResolvedReference[];
}

/** A registered schema as a codec needs it. */
export interface RegisteredSchema {
  readonly format: SchemaFormat;
  /** Schema text: Avro JSON, .proto source, or JSON Schema JSON. */
  readonly definition: string;
  readonly references: readonly ResolvedReference[];
}

/** A schema to register or look up when publishing. */
export interface SchemaToRegister {
  readonly format: SchemaFormat;
  readonly definition: string;
}

/** A schema registry client: Confluent (numeric ids) or Glue (schema version UUIDs). */
export interface SchemaRegistry {
  readonly kind: 'confluent' | 'glue';
  /** For messages: `Confluent Schema Registry at https://host` (never credentials). */
  readonly description: string;
  /**
   * The schema with this id (Confluent: decimal text; Glue: UUID). Cached for
   * the container's life; concurrent calls for one id share one request.
   * Rejects with SchemaNotFoundError (unknown id) or RegistryUnavailableError
   * (unreachable, timeout, 5xx, 401/403).
   */
  schemaById(id: string): Promise<RegisteredSchema>;
  /**
   * The id of `schema` under `subject`, registering it when `autoRegister` is
   * set. SchemaNotFoundError when it is not registered and auto-registration
   * is off.
   */
  idFor?(subject: string, schema: SchemaToRegister, options: { autoRegister: boolean }): Promise<string>;
}
