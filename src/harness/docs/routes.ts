import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { SchemaDeclaration } from '../../runtime/codec/schema-codec.js';
import type { Codec } from '../../runtime/event/codec.js';
import { defaultDeadLetterTopic } from '../../runtime/router/dead-letter.js';
import type { Router } from '../../runtime/router/router.js';

// The only file that reads the runtime's route table: the docs depend on its stable fields alone
// (name, topic, kind, schema, codec name, publisher topics, dead-letter setting, unmatched policy).

/** What the docs need to know about one route. */
export interface RouteView {
  readonly name: string;
  /** An exact topic name, or a pattern tried after all exact names. */
  readonly topic: string | RegExp;
  readonly kind: 'record' | 'batch';
  readonly schema: StandardSchemaV1 | undefined;
  /** The value codec's name (`json` by default). */
  readonly codec: string;
  /** The value codec's schema, when it is a schema codec (avro, protobuf, jsonSchema). */
  readonly valueSchema: SchemaDeclaration | undefined;
  /** The key codec's schema, when it is a schema codec. */
  readonly keySchema: SchemaDeclaration | undefined;
  /** Declared publishers in declaration order; `keyed` when the publisher sets its own key; `schema` of a schema codec. */
  readonly publishes: ReadonlyArray<{ readonly topic: string; readonly keyed: boolean; readonly schema: SchemaDeclaration | undefined }>;
  /** How its outputs carry lineage: four text headers or one binary `x-lineage`. */
  readonly lineage: 'headers' | 'compact';
  /** Where a record of `topic` is dead-lettered, if the route dead-letters. */
  deadLetterTopic(topic: string): string | undefined;
}

/** The routes of a router, in declaration order. */
export function routeViews(router: Router): RouteView[] {
  return router.table.routes.map((compiled) => {
    const { route } = compiled;
    const deadLetter = route.deadLetter;
    return {
      name: compiled.name,
      topic: route.topic,
      kind: route.kind,
      schema: compiled.schema,
      codec: route.codec?.name ?? 'json',
      valueSchema: declarationOf(route.codec),
      keySchema: declarationOf(route.keyCodec),
      publishes: [...compiled.publishers.values()].map((spec) => ({
        topic: spec.topic,
        keyed: typeof spec.key === 'function',
        schema: declarationOf(spec.codec),
      })),
      lineage: compiled.lineage,
      deadLetterTopic: (topic: string) =>
        deadLetter === true ? defaultDeadLetterTopic(topic) : typeof deadLetter === 'string' && deadLetter ? deadLetter : undefined,
    };
  });
}

/** The route a record of `topic` goes to: exact names first, then patterns in declaration order (as the router dispatches). */
export function routeFor(routes: readonly RouteView[], topic: string): RouteView | undefined {
  return (
    routes.find((route) => route.topic === topic) ??
    routes.find((route) => route.topic instanceof RegExp && new RegExp(route.topic.source, route.topic.flags).test(topic))
  );
}

/** Where records no route consumes go: nowhere (`fail`/`skip`) or a dead-letter topic. */
export function unmatchedDeadLetter(router: Router): string | undefined {
  return typeof router.unmatched === 'object' ? router.unmatched.deadLetter : undefined;
}

/** True when the function's handler can publish (outputs or dead letters), so its publisher connects to the cluster. */
export function publishes(router: Router | undefined): boolean {
  if (!router) return false;
  return unmatchedDeadLetter(router) !== undefined || router.table.routes.some((c) => c.publishers.size > 0 || Boolean(c.route.deadLetter));
}

/** The declaration of a schema codec (avro, protobuf, jsonSchema); undefined for json, text, bytes and custom codecs. */
export function declarationOf(codec: Codec<never> | Codec<unknown> | undefined): SchemaDeclaration | undefined {
  const declaration = (codec as { declaration?: unknown } | undefined)?.declaration;
  if (typeof declaration !== 'object' || declaration === null) return undefined;
  const format = (declaration as { format?: unknown }).format;
  return format === 'AVRO' || format === 'PROTOBUF' || format === 'JSON' ? (declaration as SchemaDeclaration) : undefined;
}
