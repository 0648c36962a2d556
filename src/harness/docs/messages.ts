import type { RouteWire, WireSchema } from './codec-schema.js';
import { exampleOf } from './examples.js';
import { compactOutputHeaders, consumedHeaders, deadLetterHeaders, outputHeaders } from './headers.js';
import type { JsonSchema } from './json-schema.js';
import { compareText } from './order.js';
import type { RouteView } from './routes.js';

/** Who writes to a topic: a route's publisher, a route's dead-lettering, or Lambda's on-failure destination. */
export type Producer =
  | {
      readonly fn: string;
      readonly kind: 'output';
      readonly route: RouteView;
      readonly keyed: boolean;
      /** The publisher codec's schema, when it is a schema codec. */
      readonly wire: WireSchema | undefined;
    }
  | { readonly fn: string; readonly kind: 'dead-letter'; readonly route: string; readonly codec: string; readonly sourceTopic: string }
  | { readonly fn: string; readonly kind: 'on-failure'; readonly sourceTopic: string };

/** Everything the service does with one topic (or one topic pattern). */
export interface TopicUse {
  readonly channelId: string;
  readonly topic: string;
  /** Set when the channel stands for every topic matching a route's pattern. */
  readonly pattern?: RegExp;
  readonly servers: Set<string>;
  readonly consumers: Array<{ readonly fn: string; readonly route: RouteView }>;
  readonly producers: Producer[];
}

/** A route's payload schema, ready to embed (definitions moved to `components.schemas`). */
export interface DescribedSchema {
  readonly payload: JsonSchema;
  readonly components: Readonly<Record<string, JsonSchema>>;
}

/** One message of a channel and which operations carry it. */
export interface ChannelMessage {
  readonly id: string;
  readonly message: JsonSchema;
  /** Routes that receive it (by name). */
  readonly consumedBy: readonly string[];
  readonly carries: 'value' | 'dead-letter' | 'on-failure';
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  string: 'text/plain',
  bytes: 'application/octet-stream',
  avro: 'application/vnd.apache.avro+binary',
  protobuf: 'application/x-protobuf',
  jsonSchema: 'application/json',
};

/** What the builder learnt about each route: its Standard Schema as JSON Schema, and its codecs' schemas. */
export interface RouteSchemas {
  readonly schemas: ReadonlyMap<RouteView, DescribedSchema | undefined>;
  readonly wires: ReadonlyMap<RouteView, RouteWire>;
}

/** PascalCase of a topic name: `orders.placed` → `OrdersPlaced`. */
export function messageBaseName(topic: string): string {
  const name = topic
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
  return name || 'Message';
}

/**
 * The messages of a channel: one per distinct schema of the routes consuming
 * it, an undeclared one when only publishers write it, and the dead-letter
 * and on-failure records when those land there.
 */
export function channelMessages(
  use: TopicUse,
  { schemas, wires }: RouteSchemas,
  components: Readonly<Record<string, JsonSchema>>,
  /** Registers a shared schema under `name` in `components.schemas` and returns a reference to it. */
  shared: (name: string, schema: () => JsonSchema) => JsonSchema,
): ChannelMessage[] {
  const base = messageBaseName(use.pattern ? use.channelId : use.topic);
  const outputs = use.producers.filter((p): p is Extract<Producer, { kind: 'output' }> => p.kind === 'output');
  const compact = outputs.some((p) => p.route.lineage === 'compact');
  const headers =
    outputs.length === 0
      ? shared('InputHeaders', consumedHeaders)
      : compact
        ? shared('CompactOutputHeaders', compactOutputHeaders)
        : shared('OutputHeaders', outputHeaders);
  const key = keySchema(use);
  const messages: ChannelMessage[] = [];

  const distinct = new Map<
    string,
    { routes: RouteView[]; readers: string[]; described: DescribedSchema | undefined; wire: RouteWire | undefined }
  >();
  for (const { fn, route } of use.consumers) {
    const described = schemas.get(route);
    const wire = wires.get(route);
    const signature = `${route.codec}:${JSON.stringify([described?.payload ?? null, wire?.value?.schema ?? null, wire?.key ?? null])}`;
    const entry = distinct.get(signature) ?? { routes: [], readers: [], described, wire };
    entry.routes.push(route);
    entry.readers.push(`${fn} (route ${route.name})`);
    distinct.set(signature, entry);
  }
  const writers = [...new Set(outputs.map((p) => `${p.fn} (route ${p.route.name})`))];
  for (const [index, { routes, readers, described, wire }] of [...distinct.values()].entries()) {
    const codec = routes[0]?.codec ?? 'json';
    const names = routes.map((route) => route.name);
    const id = index === 0 ? base : `${base}_${messageBaseName(names[0] ?? String(index))}`;
    messages.push({
      id,
      consumedBy: names,
      carries: 'value',
      message: {
        name: id,
        title: `${use.topic} record`,
        summary: [`Consumed by ${readers.join(', ')}`, writers.length > 0 ? `published by ${writers.join(', ')}` : '']
          .filter(Boolean)
          .join('; '),
        ...contentType(codec),
        headers,
        ...payloadOf(described, wire?.value, codec, `No schema on route ${names.join(', ')}: the value is any ${codec} value`),
        bindings: { kafka: { key: wire?.key ?? key, ...wire?.value?.binding, bindingVersion: '0.5.0' } },
        ...registryOf(wire?.value?.registry, wire?.keyRegistry),
        ...examplesOf(described, components),
      },
    });
  }
  if (distinct.size === 0 && outputs.length > 0) {
    // No route here reads it: a publisher's schema codec is the best description there is.
    const declared = outputs.find((p) => p.wire !== undefined);
    const wire = declared?.wire;
    messages.push({
      id: base,
      consumedBy: [],
      carries: 'value',
      message: {
        name: base,
        title: `${use.topic} record`,
        summary: `Published by ${writers.join(', ')}`,
        description: wire
          ? `The value schema is the one the publisher codec of ${declared?.fn} (route ${declared?.route.name}) encodes with.`
          : 'The value schema is not declared here: no route of this service consumes this topic, and publishers declare no schema.',
        ...contentType(wire ? CODEC_OF_FORMAT[wire.format] : 'json'),
        headers,
        ...(wire ? { payload: wire.schema } : {}),
        bindings: { kafka: { key, ...wire?.binding, bindingVersion: '0.5.0' } },
        ...registryOf(wire?.registry, undefined),
      },
    });
  }

  const deadLetters = use.producers.filter((p): p is Extract<Producer, { kind: 'dead-letter' }> => p.kind === 'dead-letter');
  if (deadLetters.length > 0) {
    const id = messages.length === 0 ? base : `${base}DeadLetter`;
    const sources = [...new Set(deadLetters.map((p) => p.sourceTopic))].sort(compareText);
    messages.push({
      id,
      consumedBy: [],
      carries: 'dead-letter',
      message: {
        name: id,
        title: `Dead letter of ${sources.join(', ')}`,
        summary: `Records that route ${[...new Set(deadLetters.map((p) => p.route))].join(', ')} could not process (permanent error, undecodable or schema-invalid value, or retries used up)`,
        description:
          'The original record, unchanged: its key, value and headers as they arrived (the value may not match the source schema: that may be why it is here), plus Spring for Apache Kafka dead-letter headers.',
        ...contentType(deadLetters[0]?.codec ?? 'json'),
        headers: shared('DeadLetterHeaders', deadLetterHeaders),
        payload: { description: `The original value of the record from ${sources.join(', ')}, byte for byte` },
        bindings: {
          kafka: { key: { type: ['string', 'null'], description: "The original record's key, unchanged" }, bindingVersion: '0.5.0' },
        },
      },
    });
  }

  const failures = use.producers.filter((p) => p.kind === 'on-failure');
  if (failures.length > 0) {
    const id = messages.length === 0 ? base : `${base}Failure`;
    const sources = [...new Set(failures.map((p) => (p.kind === 'on-failure' ? p.sourceTopic : '')))].sort(compareText);
    messages.push({
      id,
      consumedBy: [],
      carries: 'on-failure',
      message: {
        name: id,
        title: `Failed batches of ${sources.join(', ')}`,
        summary: "Written by Lambda's event source mapping when a batch's retries are exhausted or its records are too old",
        contentType: 'application/json',
        payload: ON_FAILURE_PAYLOAD,
        bindings: {
          kafka: { key: { type: ['string', 'null'], description: "The failed record's key (Lambda keeps it)" }, bindingVersion: '0.5.0' },
        },
      },
    });
  }
  return messages;
}

function keySchema(use: TopicUse): JsonSchema {
  const keyed = use.producers.filter((p) => p.kind === 'output' && p.keyed).map((p) => (p.kind === 'output' ? p.route.name : ''));
  const description =
    keyed.length > 0
      ? `Set by the publisher of route ${[...new Set(keyed)].join(', ')}`
      : use.producers.some((p) => p.kind === 'output')
        ? "The input record's key, carried over so per-key order holds downstream"
        : 'The record key, as UTF-8 text (null when absent)';
  return { type: ['string', 'null'], description };
}

function contentType(codec: string): JsonSchema {
  const type = CONTENT_TYPES[codec];
  return type ? { contentType: type } : { 'x-codec': codec };
}

/** The codec of each schema format, for its content type. */
const CODEC_OF_FORMAT = { AVRO: 'avro', PROTOBUF: 'protobuf', JSON: 'jsonSchema' } as const;

function registryOf(value: JsonSchema | undefined, key: JsonSchema | undefined): JsonSchema {
  return { ...(value ? { 'x-schema-registry': value } : {}), ...(key ? { 'x-key-schema-registry': key } : {}) };
}

function payloadOf(described: DescribedSchema | undefined, wire: WireSchema | undefined, codec: string, untyped: string): JsonSchema {
  // The codec's schema describes the bytes; the route's Standard Schema then checks the decoded value.
  if (wire && described) {
    return {
      payload: wire.schema,
      'x-decoded-value-schema': { description: "The route's schema, checked against the decoded value", ...described.payload },
    };
  }
  if (wire) return { payload: wire.schema };
  if (described) return { payload: described.payload };
  if (codec === 'string') return { payload: { type: 'string', description: untyped } };
  return { payload: { description: untyped } };
}

function examplesOf(described: DescribedSchema | undefined, components: Readonly<Record<string, JsonSchema>>): JsonSchema {
  if (!described) return {};
  return { examples: [{ name: 'example', summary: 'Built from the schema', payload: exampleOf(described.payload, components) }] };
}

// The metadata record Lambda writes to a kafka:// on-failure destination. Its format belongs to AWS; these
// are the fields AWS documents ("Capturing discarded batches"), none required so a new field is no surprise.
const ON_FAILURE_PAYLOAD: JsonSchema = {
  type: 'object',
  description: 'Failure metadata written by AWS Lambda, with the failed records',
  properties: {
    version: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    requestContext: {
      type: 'object',
      properties: {
        requestId: { type: 'string' },
        functionArn: { type: 'string' },
        condition: { type: 'string', examples: ['RetriesExhausted'] },
        approximateInvokeCount: { type: 'integer' },
      },
    },
    responseContext: { type: 'object' },
    KafkaBatchInfo: {
      type: 'object',
      properties: {
        topic: { type: 'string' },
        partition: { type: 'integer' },
        startOffset: { type: 'integer' },
        endOffset: { type: 'integer' },
        batchSize: { type: 'integer' },
      },
    },
    payload: { description: 'The failed records, as in the invocation event' },
  },
};
