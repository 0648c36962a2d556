import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConfigError } from '../errors/index.js';
import type { Codec } from '../event/codec.js';
import { json } from '../event/codec.js';
import { defaultDeadLetterTopic } from './dead-letter.js';
import type { LineageMode } from './lineage.js';
import { publisherPreparation } from './prepare.js';
import type { PublisherSpec } from './publishers.js';
import { type ResolvedRetryPolicy, type RetryPolicy, resolveRetry } from './retry.js';
import type { Route } from './route.js';

/** A route with its defaults resolved, ready for dispatch. */
export interface CompiledRoute {
  readonly route: Route;
  readonly name: string;
  readonly codec: Codec<unknown>;
  /** Decodes the key too when set (otherwise keys stay bytes / UTF-8 text). */
  readonly keyCodec: Codec<unknown> | undefined;
  /** Readies publisher codecs (registry subjects) before the first record; undefined once ready. */
  readonly preparePublishers: () => Promise<void> | undefined;
  readonly schema: StandardSchemaV1 | undefined;
  readonly publishers: ReadonlyMap<string, PublisherSpec>;
  readonly retry: ResolvedRetryPolicy;
  readonly lineage: LineageMode;
  /** The dead-letter topic for a record of `topic`, if the route has one. */
  deadLetterTopic(topic: string): string | undefined;
}

/** Topic → route: exact names first, then patterns in declaration order. */
export interface RouteTable {
  readonly routes: readonly CompiledRoute[];
  resolve(topic: string): CompiledRoute | undefined;
  /** True when any route may publish or dead-letter (so a publisher is needed). */
  readonly publishes: boolean;
}

/** Compiles routes, rejecting duplicates and conflicts now rather than at the first record. */
export function compileRouteTable(routes: readonly Route[], retryDefaults?: RetryPolicy): RouteTable {
  if (routes.length === 0) throw new ConfigError('A router needs at least one route');
  const baseRetry = resolveRetry(retryDefaults);
  const exact = new Map<string, CompiledRoute>();
  const patterns: Array<{ pattern: RegExp; compiled: CompiledRoute }> = [];
  const compiledRoutes: CompiledRoute[] = [];

  for (const route of routes) {
    const compiled = compileRoute(route, baseRetry);
    compiledRoutes.push(compiled);
    const { topic } = route;
    if (typeof topic === 'string') {
      if (!topic) throw new ConfigError(`Route '${compiled.name}' has an empty topic`);
      const existing = exact.get(topic);
      if (existing) throw new ConfigError(`Routes '${existing.name}' and '${compiled.name}' both consume topic '${topic}'`);
      exact.set(topic, compiled);
    } else if (topic instanceof RegExp) {
      if (topic.global || topic.sticky)
        throw new ConfigError(`Route '${compiled.name}': topic patterns must not use the g or y flag (they make matching stateful)`);
      const twin = patterns.find((p) => p.pattern.source === topic.source && p.pattern.flags === topic.flags);
      if (twin) throw new ConfigError(`Routes '${twin.compiled.name}' and '${compiled.name}' both consume the pattern ${topic}`);
      patterns.push({ pattern: topic, compiled });
    } else {
      throw new ConfigError(`Route '${compiled.name}': topic must be a string or a RegExp`);
    }
  }

  const resolved = new Map<string, CompiledRoute | undefined>();
  return {
    routes: compiledRoutes,
    publishes: compiledRoutes.some((r) => r.publishers.size > 0 || r.route.deadLetter),
    resolve(topic) {
      const direct = exact.get(topic);
      if (direct) return direct;
      // Topics per function are few; remember each pattern lookup.
      if (resolved.has(topic)) return resolved.get(topic);
      const match = patterns.find((p) => p.pattern.test(topic))?.compiled;
      resolved.set(topic, match);
      return match;
    },
  };
}

function compileRoute(route: Route, baseRetry: ResolvedRetryPolicy): CompiledRoute {
  const name = route.name ?? String(route.topic);
  if (route.kind === 'record' && typeof route.handle !== 'function') throw new ConfigError(`Route '${name}' has no handle function`);
  if (route.kind === 'batch' && typeof route.handleBatch !== 'function')
    throw new ConfigError(`Route '${name}' has no handleBatch function`);
  if (route.kind !== 'record' && route.kind !== 'batch')
    throw new ConfigError(`Route '${name}' was not made with defineRoute or defineBatchRoute`);
  if (route.schema !== undefined && typeof (route.schema as Partial<StandardSchemaV1>)['~standard']?.validate !== 'function') {
    throw new ConfigError(`Route '${name}': schema is not a Standard Schema (zod, valibot, arktype… expose '~standard')`);
  }

  const publishers = new Map<string, PublisherSpec>();
  for (const spec of route.publishes ?? []) {
    if (publishers.has(spec.topic)) throw new ConfigError(`Route '${name}' declares publisher topic '${spec.topic}' twice`);
    publishers.set(spec.topic, spec);
  }

  if (route.lineage !== undefined && route.lineage !== 'headers' && route.lineage !== 'compact') {
    throw new ConfigError(`Route '${name}': lineage must be 'headers' or 'compact'`);
  }
  const deadLetter = route.deadLetter;
  if (typeof deadLetter === 'string' && deadLetter === route.topic) {
    throw new ConfigError(`Route '${name}': the dead-letter topic cannot be the topic it consumes`);
  }
  if (typeof route.topic === 'string' && publishers.has(route.topic)) {
    throw new ConfigError(`Route '${name}' publishes to the topic it consumes ('${route.topic}'), which loops forever`);
  }
  const deadLetterTopic =
    deadLetter === true ? defaultDeadLetterTopic : typeof deadLetter === 'string' && deadLetter ? () => deadLetter : () => undefined;

  return {
    route,
    name,
    codec: (route.codec as Codec<unknown> | undefined) ?? json,
    keyCodec: route.keyCodec,
    preparePublishers: publisherPreparation([...publishers.values()]),
    schema: route.schema as StandardSchemaV1 | undefined,
    publishers,
    retry: resolveRetry(route.retry, baseRetry),
    lineage: route.lineage ?? 'headers',
    deadLetterTopic,
  };
}
