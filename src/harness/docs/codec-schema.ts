import type { SchemaDeclaration } from '../../runtime/codec/schema-codec.js';
import { embedSchema, type JsonSchema } from './json-schema.js';
import { protoTextOf } from './proto-text.js';

/**
 * The `schemaFormat` of each registry format: the media types the AsyncAPI 3.0
 * specification lists for Avro 1.9.0 and Protobuf, and JSON Schema draft-07
 * (what Confluent's serializers write).
 */
export const SCHEMA_FORMATS = {
  AVRO: 'application/vnd.apache.avro;version=1.9.0',
  PROTOBUF: 'application/vnd.google.protobuf;version=3',
  PROTOBUF_2: 'application/vnd.google.protobuf;version=2',
  JSON: 'application/schema+json;version=draft-07',
} as const;

const FORMAT_NAMES = { AVRO: 'Avro', PROTOBUF: 'Protobuf', JSON: 'JSON Schema' } as const;

const STRATEGY_NAMES = {
  topic: 'TopicNameStrategy',
  record: 'RecordNameStrategy',
  'topic-record': 'TopicRecordNameStrategy',
  custom: 'a custom subject name function',
} as const;

/** A record part's schema as a schema codec declares it, ready to embed in a message. */
export interface WireSchema {
  /** The codec's format (Avro, Protobuf, JSON Schema). */
  readonly format: SchemaDeclaration['format'];
  /** A Multi Format Schema Object, or (the schema living only in a registry) a plain Schema Object saying so. */
  readonly schema: JsonSchema;
  /** `components.schemas` entries the schema references (JSON Schema definitions). */
  readonly components: Record<string, JsonSchema>;
  /** The message's Kafka binding fields for registry framing (schemaIdLocation, schemaIdPayloadEncoding, schemaLookupStrategy). */
  readonly binding: JsonSchema;
  /** The `x-schema-registry` extension: which registry, subject and strategy; undefined without a registry. */
  readonly registry: JsonSchema | undefined;
  /** Why the document cannot show the schema itself (reported as a diagnostic). */
  readonly problem: string | undefined;
}

/** What a route's codecs declare about the bytes on the wire (avro, protobuf, jsonSchema codecs). */
export interface RouteWire {
  readonly value: WireSchema | undefined;
  /** The key's schema, ready for the Kafka binding's `key` (a multi-format one referenced from `components.schemas`). */
  readonly key: JsonSchema | undefined;
  /** The key's `x-schema-registry` extension. */
  readonly keyRegistry: JsonSchema | undefined;
}

/** Where the schema is used: the topic (undefined for a pattern), the record part, and a `components.schemas` name prefix. */
export interface WireContext {
  readonly topic: string | undefined;
  readonly part: 'key' | 'value';
  readonly prefix: string;
}

/** The wire schema of a schema codec's declaration: its own schema as a multi-format schema, or what the registry setup tells. */
export function wireSchema(declaration: SchemaDeclaration, context: WireContext): WireSchema {
  const described = ownSchema(declaration, context);
  const recordName = described.recordName;
  const registry = declaration.registry
    ? {
        kind: declaration.registry.kind,
        description: declaration.registry.description,
        ...(declaration.registry.kind === 'confluent'
          ? {
              subjectNameStrategy: STRATEGY_NAMES[declaration.subjectNameStrategy],
              ...subjectOf(declaration.subjectNameStrategy, context, recordName),
            }
          : {}),
      }
    : undefined;
  return {
    format: declaration.format,
    schema: described.schema,
    components: described.components,
    binding: bindingOf(declaration),
    registry,
    problem: described.problem,
  };
}

interface OwnSchema {
  readonly schema: JsonSchema;
  readonly components: Record<string, JsonSchema>;
  readonly recordName: string | undefined;
  readonly problem: string | undefined;
}

function ownSchema(declaration: SchemaDeclaration, context: WireContext): OwnSchema {
  const name = FORMAT_NAMES[declaration.format];
  const none = { components: {}, recordName: undefined };
  if (declaration.format === 'PROTOBUF' && declaration.typeObject !== undefined) {
    const rendered = protoTextOf(declaration.typeObject);
    if (!rendered.ok) {
      return {
        ...none,
        schema: { description: `Protobuf ${context.part}: ${rendered.reason}` },
        problem: `its ${context.part} codec was given a Protobuf message type whose .proto text cannot be rendered (${rendered.reason}): give protobuf({ schema }) the .proto text to document it`,
      };
    }
    return {
      ...none,
      schema: { schemaFormat: SCHEMA_FORMATS.PROTOBUF, schema: rendered.text, 'x-message-type': rendered.messageType },
      recordName: rendered.messageType,
      problem: undefined,
    };
  }
  if (declaration.schema === undefined) {
    const where = declaration.registry?.description ?? 'a schema registry';
    return {
      ...none,
      schema: {
        description: `${name} ${context.part}; its schema is held by ${where} and named by each record's framing: the codec declares none, so its fields are not shown here`,
      },
      problem: `its ${context.part} codec (${name}) has no schema of its own, only ${where}: the document names the registry and subject, not the fields`,
    };
  }
  switch (declaration.format) {
    case 'AVRO':
      return avroSchema(declaration.schema, context);
    case 'PROTOBUF':
      return protobufSchema(String(declaration.schema), declaration.messageType);
    case 'JSON':
      return jsonSchemaOf(declaration.schema, context);
  }
}

function avroSchema(given: unknown, context: WireContext): OwnSchema {
  let schema: unknown = given;
  if (typeof given === 'string') {
    const text = given.trim();
    try {
      schema = /^[[{"]/.test(text) ? JSON.parse(text) : text;
    } catch {
      return {
        schema: { description: `Avro ${context.part}: the codec's schema is not JSON text` },
        components: {},
        recordName: undefined,
        problem: `its ${context.part} codec's Avro schema is not JSON text`,
      };
    }
  }
  // A copy: the document must not share objects with the codec (or with other messages).
  const copy = JSON.parse(JSON.stringify(schema)) as unknown;
  return {
    schema: { schemaFormat: SCHEMA_FORMATS.AVRO, schema: copy },
    components: {},
    recordName: avroFullName(copy),
    problem: undefined,
  };
}

function avroFullName(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const { name, namespace } = schema as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string') return undefined;
  return name.includes('.') || typeof namespace !== 'string' || namespace === '' ? name : `${namespace}.${name}`;
}

function protobufSchema(text: string, messageType: string | undefined): OwnSchema {
  const proto2 = /^\s*syntax\s*=\s*["']proto2["']/m.test(text);
  const first = messageType ?? firstMessageOf(text);
  return {
    schema: {
      schemaFormat: proto2 ? SCHEMA_FORMATS.PROTOBUF_2 : SCHEMA_FORMATS.PROTOBUF,
      schema: text,
      ...(first ? { 'x-message-type': first } : {}),
    },
    components: {},
    recordName: first,
    problem: undefined,
  };
}

/** The full name of a .proto file's first top-level message (what the codec decodes unframed payloads as). */
function firstMessageOf(text: string): string | undefined {
  const source = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(source)?.[1];
  let depth = 0;
  for (const match of source.matchAll(/[{}]|\bmessage\s+(\w+)/g)) {
    if (match[0] === '{') depth++;
    else if (match[0] === '}') depth--;
    else if (depth === 0 && match[1]) return pkg ? `${pkg}.${match[1]}` : match[1];
  }
  return undefined;
}

function jsonSchemaOf(given: unknown, context: WireContext): OwnSchema {
  if (typeof given === 'boolean')
    return { schema: { schemaFormat: SCHEMA_FORMATS.JSON, schema: given }, components: {}, recordName: undefined, problem: undefined };
  const copy = JSON.parse(JSON.stringify(given)) as JsonSchema;
  const embedded = embedSchema(copy, `${context.prefix}${context.part === 'key' ? 'Key' : ''}`);
  return {
    schema: { schemaFormat: SCHEMA_FORMATS.JSON, schema: embedded.payload },
    components: embedded.components,
    recordName: typeof copy.title === 'string' ? copy.title : undefined,
    problem: undefined,
  };
}

function subjectOf(strategy: SchemaDeclaration['subjectNameStrategy'], context: WireContext, recordName: string | undefined): JsonSchema {
  if (strategy === 'custom' || context.topic === undefined) return {};
  if (strategy === 'topic') return { subject: `${context.topic}-${context.part}` };
  if (!recordName) return {};
  return { subject: strategy === 'record' ? recordName : `${context.topic}-${recordName}` };
}

// Kafka binding 0.5.0: where the schema id travels. Confluent and Glue both put it in front of the payload.
function bindingOf(declaration: SchemaDeclaration): JsonSchema {
  const framing = declaration.framing;
  // `auto` without a registry: framed and bare payloads are both read, so where the id is cannot be promised.
  if (framing === 'none' || (framing === 'auto' && !declaration.registry)) return {};
  const encoding = framing === 'auto' ? undefined : framing === 'confluent' ? 'confluent' : 'glue';
  return {
    schemaIdLocation: 'payload',
    ...(encoding ? { schemaIdPayloadEncoding: encoding } : {}),
    ...(declaration.registry?.kind === 'confluent' ? { schemaLookupStrategy: STRATEGY_NAMES[declaration.subjectNameStrategy] } : {}),
  };
}
