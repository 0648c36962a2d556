// The pipeline the avro/protobuf/jsonSchema codecs share: Lambda's JSON mode, framing,
// schema lookup (cached per id), then the format's decoder. Warm decodes are synchronous.
import { describeError } from '../errors/format.js';
import { ConfigError, DecodeError, KafkaRouterError, RegistryUnavailableError, SchemaNotFoundError } from '../errors/index.js';
import type { Codec, EncodeTarget, RecordPart } from '../event/codec.js';
import type { KafkaRecord } from '../event/record.js';
import { writeConfluentFrame } from './framing/confluent.js';
import { type Framing, type SchemaRef, type Unframed, unframe } from './framing/detect.js';
import { writeGlueFrame } from './framing/glue.js';
import type { PayloadSource } from './framing/source.js';
import type { RegisteredSchema, SchemaFormat, SchemaRegistry } from './registry.js';
import { decodeEitherReading, withFramingHint } from './source-mode.js';
import { autoRegisterDefault, type SubjectNameStrategy, subjectName, targetKey } from './subjects.js';

/** How Lambda's ESM hands over records when it has a schema registry: the original bytes, or JSON text it decoded. */
export type LambdaRecordFormat = 'auto' | 'SOURCE' | 'JSON';

/** Options every schema codec has. */
export interface SchemaCodecOptions {
  /** Where schemas named by the payload's framing come from. */
  readonly registry?: SchemaRegistry;
  /** Framing of payloads Lambda's schema metadata does not describe. Default `auto` with a registry, else `none`. */
  readonly framing?: Framing;
  /** Cap on an inflated zlib Glue payload (default 16 MiB). */
  readonly maxInflatedBytes?: number;
  /**
   * `auto` (default): a record with schema metadata whose bytes are a JSON object is Lambda's JSON mode.
   * `SOURCE`: always bytes. `JSON`: always JSON text when metadata is present.
   */
  readonly lambdaRecordFormat?: LambdaRecordFormat;
  /** Publishing without a registry: the id written in the frame (`confluent`: the schema id; `glue`: the schema version UUID). */
  readonly schemaId?: number | string;
  /** Publishing with a registry: how the subject is named (default `topic`: `<topic>-value`). */
  readonly subjectNameStrategy?: SubjectNameStrategy;
  /** Publishing with a registry: register the schema when the subject lacks it. Default: on locally, off when deployed (see `autoRegisterDefault`). */
  readonly autoRegister?: boolean;
}

/**
 * What a schema codec was given, as plain data: `docs gen` describes the
 * topic with it. Nothing is compiled or loaded to build it.
 */
export interface SchemaDeclaration {
  readonly format: SchemaFormat;
  /** The codec's own schema as given (Avro JSON object or text, .proto text, JSON Schema); undefined with a registry alone. */
  readonly schema: unknown;
  /** Protobuf: the message type's full name given with `schema`. */
  readonly messageType?: string;
  /** Protobuf: the message type object given instead of .proto text (a protobufjs `Type` or a pbjs class). */
  readonly typeObject?: object;
  /** The registry, by kind and its credential-free description. */
  readonly registry?: { readonly kind: 'confluent' | 'glue'; readonly description: string };
  readonly framing: Framing;
  /** How published values' subjects are named: Confluent's strategy, or `custom` for a function. */
  readonly subjectNameStrategy: 'topic' | 'record' | 'topic-record' | 'custom';
}

/** What a format (Avro, Protobuf, JSON Schema) plugs into the pipeline. `C` is its compiled schema. */
export interface FormatDriver<C> {
  readonly name: 'avro' | 'protobuf' | 'jsonSchema';
  readonly format: SchemaFormat;
  /** The schema (or type) the codec was given, for {@link SchemaDeclaration}. */
  readonly declared: Pick<SchemaDeclaration, 'schema' | 'messageType' | 'typeObject'>;
  /** Compiles the schema given to the codec (loading the library on first call); undefined when none was given. */
  readonly local: (() => Promise<C>) | undefined;
  /** True when a registry schema must be fetched even though a local one exists (Avro resolves writer → reader). */
  readonly resolvesWriterSchema: boolean;
  /** Compiles a registry schema; `local` is the codec's own compiled schema, if any. */
  registered(schema: RegisteredSchema, local: C | undefined): Promise<C>;
  /** Decodes a payload without its framing (synchronous; library errors become DecodeErrors). */
  decode(compiled: C, unframed: Unframed, source: PayloadSource): unknown;
  /** Encodes a value to the bare payload (Protobuf: with its message index when `framing` needs one). */
  encode(compiled: C, value: unknown, framing: 'confluent' | 'glue' | 'none'): Buffer;
  /** Publishing: the schema text to register and the record's full name (RecordNameStrategy); undefined when it cannot be registered. */
  registrable(compiled: C): { readonly definition: string; readonly recordName: string | undefined } | undefined;
}

/** A codec backed by a schema: decodes once warm without a promise; `ready()` warms it. */
export interface SchemaCodec<T> extends Codec<T> {
  /** What the codec was given, for documentation. */
  readonly declaration: SchemaDeclaration;
  /** Loads the format library and compiles the codec's own schema (encode needs this first). */
  ready(): Promise<void>;
  /** Encodes with the codec's own schema and framing (after `ready()`, or `prepare(target)` with a registry). */
  encode(value: T, target?: EncodeTarget): Buffer;
  prepare(target: EncodeTarget): Promise<void>;
}

/** Builds a codec from a format driver. */
export function createSchemaCodec<T, C>(driver: FormatDriver<C>, options: SchemaCodecOptions): SchemaCodec<T> {
  const { registry } = options;
  if (!driver.local && !registry) throw new ConfigError(`${driver.name}(): give a schema, a registry, or both`);
  const lambdaFormat = options.lambdaRecordFormat ?? 'auto';
  // SOURCE mode may deliver the registry header or not (source-mode.ts): sniff it.
  const framing: Framing = options.framing ?? (registry || lambdaFormat === 'SOURCE' ? 'auto' : 'none');
  const unframing = { framing, maxInflatedBytes: options.maxInflatedBytes };
  // Keyed by the id as framed (a number for Confluent, UUID text for Glue): no conversion per record.
  const byRef = new Map<number | string, C | Promise<C>>();
  const publishIds = new Map<string, string>();
  const autoRegister = options.autoRegister ?? autoRegisterDefault();
  let local: C | Promise<C> | undefined;
  let localSettled: C | undefined;

  const loadLocal = (): C | Promise<C> | undefined => {
    if (!driver.local) return undefined;
    if (local === undefined) {
      local = driver.local().then(
        (compiled) => {
          local = compiled;
          localSettled = compiled;
          return compiled;
        },
        (error: unknown) => {
          local = undefined;
          throw error;
        },
      );
    }
    return local;
  };

  const compiledFor = (ref: SchemaRef | undefined, source: PayloadSource): C | Promise<C> => {
    const needsRegistry = ref && registry && (!driver.local || driver.resolvesWriterSchema);
    if (!needsRegistry) {
      const own = loadLocal();
      if (own !== undefined) return own;
      return missingSchema(ref, source);
    }
    if (registry.kind !== ref.registry) {
      throw new DecodeError(
        source.part,
        `the payload names a ${ref.registry === 'glue' ? 'Glue' : 'Confluent'} schema but the codec's registry is ${registry.description}`,
        source.at,
      );
    }
    const cached = byRef.get(ref.id);
    if (cached !== undefined) return cached;
    const key = String(ref.id);
    const pending = (async () => {
      const [schema, own] = await Promise.all([registry.schemaById(key), loadLocal()]);
      if (schema.format !== driver.format) {
        throw new DecodeError(source.part, `the payload names schema ${key}, a ${schema.format} schema, not ${driver.format}`, source.at);
      }
      return driver.registered(schema, own);
    })().then(
      (compiled) => {
        byRef.set(ref.id, compiled);
        return compiled;
      },
      (error: unknown) => {
        // Not cached: a registry that was down may be up on the next delivery.
        byRef.delete(ref.id);
        throw error;
      },
    );
    byRef.set(ref.id, pending);
    return pending;
  };

  const decodeWith = (compiled: C, unframed: Unframed, source: PayloadSource): T => {
    try {
      return driver.decode(compiled, unframed, source) as T;
    } catch (error) {
      const failure =
        error instanceof KafkaRouterError
          ? error
          : new DecodeError(source.part, `not valid ${driver.name} (${describeError(error)})`, source.at, error);
      throw framing === 'none' && failure instanceof DecodeError ? withFramingHint(failure, unframed.bytes, source) : failure;
    }
  };

  const decodeUnframed = (unframed: Unframed, source: PayloadSource): T | Promise<T> => {
    let compiled: C | Promise<C>;
    try {
      compiled = compiledFor(unframed.ref, source);
    } catch (error) {
      throw withCoordinates(error, source, driver.name);
    }
    if (!(compiled instanceof Promise)) return decodeWith(compiled, unframed, source);
    return compiled.then(
      (ready) => decodeWith(ready, unframed, source),
      (error: unknown) => {
        throw withCoordinates(error, source, driver.name);
      },
    );
  };

  const strategy = options.subjectNameStrategy ?? 'topic';
  const declaration: SchemaDeclaration = {
    format: driver.format,
    ...driver.declared,
    ...(registry ? { registry: { kind: registry.kind, description: registry.description } } : {}),
    framing,
    subjectNameStrategy: typeof strategy === 'function' ? 'custom' : strategy,
  };

  return {
    name: driver.name,
    declaration,
    decode(bytes: Buffer, record: KafkaRecord, part: RecordPart): T | Promise<T> {
      const source: PayloadSource = { part, at: record };
      const metadata = part === 'key' ? record.keySchemaMetadata : record.valueSchemaMetadata;
      if (metadata && lambdaFormat !== 'SOURCE') {
        const rendered = lambdaJson(bytes, lambdaFormat, source);
        if (rendered !== NOT_JSON) return rendered as T;
      }
      const unframed = unframe(bytes, metadata, source, unframing);
      if (unframed.sniffed && unframed.framing !== 'none' && driver.local) {
        // Only the bytes say "framed", and the codec can read a bare payload too: see source-mode.ts.
        const bare: Unframed = { framing: 'none', ref: undefined, bytes, start: 0, sniffed: false, headerless: false };
        return decodeEitherReading(
          () => decodeUnframed(unframed, source),
          () => decodeUnframed(bare, source),
          unframed.framing,
          source,
        );
      }
      return decodeUnframed(unframed, source);
    },
    encode(value: T, target?: EncodeTarget): Buffer {
      if (localSettled === undefined) {
        throw new ConfigError(`${driver.name}(): encoding needs the codec's own schema, compiled: await codec.ready() once first`);
      }
      if (registry) {
        // Confluent framing with the id the registry gave for this target's subject (prepare() looked it up).
        const id = target ? publishIds.get(targetKey(target)) : undefined;
        if (id === undefined) throw new ConfigError(`${driver.name}(): publishing through a registry needs prepare({ topic, part }) first`);
        return writeConfluentFrame(Number(id), driver.encode(localSettled, value, 'confluent'));
      }
      const out = framing === 'confluent' || framing === 'glue' ? framing : 'none';
      const payload = driver.encode(localSettled, value, out);
      if (out === 'none') return payload;
      const id = options.schemaId;
      if (out === 'confluent') {
        if (typeof id !== 'number') throw new ConfigError(`${driver.name}(): Confluent framing needs a numeric schemaId to publish`);
        return writeConfluentFrame(id, payload);
      }
      if (typeof id !== 'string') throw new ConfigError(`${driver.name}(): Glue framing needs a schemaId (schema version UUID) to publish`);
      return writeGlueFrame(id, payload);
    },
    async prepare(target: EncodeTarget): Promise<void> {
      const own = await loadLocal();
      if (!registry || own === undefined || publishIds.has(targetKey(target))) return;
      const registrable = driver.registrable(own);
      if (!registry.idFor || !registrable) {
        throw new ConfigError(
          `${driver.name}(): publishing through ${registry.description} needs a Confluent registry and a schema given as text or JSON`,
        );
      }
      const subject = subjectName(options.subjectNameStrategy ?? 'topic', target, registrable.recordName);
      const id = await registry.idFor(subject, { format: driver.format, definition: registrable.definition }, { autoRegister });
      publishIds.set(targetKey(target), id);
    },
    async ready(): Promise<void> {
      await loadLocal();
    },
  };
}

function missingSchema(ref: SchemaRef | undefined, source: PayloadSource): never {
  throw new DecodeError(
    source.part,
    ref
      ? `the payload names schema ${ref.id} but the codec has no registry to fetch it from`
      : "the payload names no schema (no Confluent or Glue header, no schemaId in Lambda's metadata, as when an ESM in SOURCE mode removed them) and the codec has none of its own: give it a schema too",
    source.at,
  );
}

/** Adds the record's coordinates to registry errors; anything unexpected becomes a DecodeError. */
function withCoordinates(error: unknown, source: PayloadSource, name: string): KafkaRouterError {
  if (error instanceof SchemaNotFoundError) return new SchemaNotFoundError(error.schemaId, error.registry, { at: source.at, cause: error });
  if (error instanceof RegistryUnavailableError) return new RegistryUnavailableError(error.message, { at: source.at, cause: error });
  if (error instanceof KafkaRouterError) return error;
  return new DecodeError(source.part, `the ${name} schema cannot be used (${describeError(error)})`, source.at, error);
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const NOT_JSON = Symbol('not JSON');

/** The value of a record Lambda rendered as JSON text (JSON mode), or NOT_JSON for bytes to decode. */
function lambdaJson(bytes: Buffer, format: LambdaRecordFormat, source: PayloadSource): unknown {
  // In `auto`, a binary payload that starts with '{' and ends with '}' is possible but rare; JSON.parse then decides.
  if (format === 'auto' && (bytes[0] !== OPEN_BRACE || bytes[bytes.length - 1] !== CLOSE_BRACE)) return NOT_JSON;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    if (format === 'auto') return NOT_JSON;
    // JSON.parse messages quote the text: keep them (and the error) out.
    throw new DecodeError(
      source.part,
      `Lambda JSON-mode record is not JSON text (${error instanceof SyntaxError ? 'syntax error' : describeError(error)})`,
      source.at,
    );
  }
}
