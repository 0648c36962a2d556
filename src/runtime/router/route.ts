import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Codec } from '../event/codec.js';
import type { HeaderInput } from '../event/encode.js';
import type { KafkaHeaders } from '../event/headers.js';
import type { KafkaRecord } from '../event/record.js';
import type { LineageMode } from './lineage.js';
import type { Logger } from './logger.js';
import type { PublisherSpec } from './publishers.js';
import type { RetryPolicy } from './retry.js';

/** The Lambda context fields the router uses (structurally compatible with `aws-lambda`'s `Context`). */
export interface LambdaContext {
  readonly awsRequestId?: string;
  readonly functionName?: string;
  getRemainingTimeInMillis(): number;
}

/** Options of `ctx.publish`. */
export interface PublishOptions {
  /** Overrides the publisher's key (by default the input record's key). */
  readonly key?: string | Buffer | null;
  readonly headers?: HeaderInput;
}

/** What every handler gets besides its value(s). */
export interface BaseContext {
  readonly logger: Logger;
  /** The Lambda context; undefined outside Lambda (scripts, benches). */
  readonly lambda: LambdaContext | undefined;
  /** 1 on the first attempt, 2 on the first retry… */
  readonly attempt: number;
  /** Milliseconds left in the invocation (Infinity outside Lambda). */
  remainingTimeMs(): number;
}

/** Sends a value to one of the route's declared publishers, as an output of one input record, if the attempt succeeds. */
export type PublishFn<TTopics extends string> = (topic: TTopics, value: unknown, options?: PublishOptions) => void;

/** The context of a single-record handler. */
export interface HandlerContext<TTopics extends string = string> extends BaseContext {
  readonly record: KafkaRecord;
  /** The record key as UTF-8 text (null when absent). */
  readonly key: string | null;
  readonly headers: KafkaHeaders;
  /** Sends `value` to one of the route's declared publishers as an output of this record (key, lineage and id from it). */
  readonly publish: PublishFn<TTopics>;
}

/** One decoded record of a batch, and the way to publish outputs that belong to it. */
export interface BatchItem<TValue, TTopics extends string = string> {
  readonly value: TValue;
  readonly record: KafkaRecord;
  /** Sends `value` to a declared publisher as an output of this record: key (by default), lineage and message id come from it. */
  readonly publish: PublishFn<TTopics>;
}

/** Options of {@link BatchContext.publishAggregate}: an aggregate has no record to take a key from, so the key is explicit. */
export interface AggregateOptions {
  readonly key: string | Buffer | null;
  readonly headers?: HeaderInput;
}

/** The context of a batch handler: one run of a partition's records in offset order. */
export interface BatchContext<TTopics extends string = string> extends BaseContext {
  readonly topic: string;
  readonly partition: number;
  /**
   * Publishes an output that belongs to the whole batch rather than to one record (a sum, a digest).
   * Its lineage names the batch's first and last offsets, and its message id is derived from the set of
   * offsets, so a redelivery of the same records gives the same id; a different split (bisect) is a
   * different aggregate with a different id. Prefer `item.publish` whenever an output has one source.
   */
  publishAggregate(topic: TTopics, value: unknown, options: AggregateOptions): void;
}

/** The value type a route's handler receives: the schema's output, else the codec's type. */
export type RouteValue<TSchema, TCodecValue> = TSchema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<TSchema> : TCodecValue;

/** What may be returned: `undefined`/`void` publishes nothing, anything else goes to every declared publisher. */
export type HandlerResult = unknown;

/** What a batch handler may return: nothing, or exactly one result per item, in item order (`undefined` for none). */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler body with no return statement is inferred as `void`, and must be accepted.
export type BatchResult = ReadonlyArray<unknown> | undefined | void | PromiseLike<ReadonlyArray<unknown> | undefined | void>;

/** Options every route has. */
export interface RouteOptions<TSchema, TCodecValue, TPublishers extends readonly PublisherSpec[]> {
  /** The exact topic name, or a RegExp tried after all exact names. */
  readonly topic: string | RegExp;
  /** A name for logs and errors (default: the topic). */
  readonly name?: string;
  /** Validates the decoded value (zod, valibot, arktype, any Standard Schema). */
  readonly schema?: TSchema;
  /** Decodes the value bytes (default JSON). */
  readonly codec?: Codec<TCodecValue>;
  /** Decodes the key bytes too (avro, protobuf, jsonSchema, json…); the result is `ctx.record.keyValue`. */
  readonly keyCodec?: Codec<unknown>;
  /** Downstream topics; a returned value goes to each of them (or to those whose `when` accepts it). */
  readonly publishes?: TPublishers;
  /** Dead-letter topic for records that fail permanently or run out of retries: `true` for `<topic>.DLT`, or a name. Off by default: the lane stops and is reported failed. */
  readonly deadLetter?: boolean | string;
  /** Retry in place for retryable errors. */
  readonly retry?: RetryPolicy;
  /** How outputs carry their lineage and message id: four text headers (default, `'headers'`) or one binary `x-lineage` header (`'compact'`, cheaper). Dead letters always use text headers. */
  readonly lineage?: LineageMode;
  /** Called for tombstones (null values) in offset order. Without it they are skipped (counted, logged at debug). */
  onTombstone?(record: KafkaRecord, ctx: HandlerContext<TPublishers[number]['topic']>): unknown;
}

/** A route whose handler takes one record at a time. */
export interface RecordRoute<
  TSchema = unknown,
  TCodecValue = unknown,
  TPublishers extends readonly PublisherSpec[] = readonly PublisherSpec[],
> extends RouteOptions<TSchema, TCodecValue, TPublishers> {
  readonly kind: 'record';
  // Method syntax on purpose: parameters are then compared bivariantly, so typed
  // routes fit in one `Route[]` list without `any`.
  handle(value: RouteValue<TSchema, TCodecValue>, ctx: HandlerContext<TPublishers[number]['topic']>): HandlerResult;
}

/**
 * A route whose handler takes a partition's records as one array. Each output
 * belongs to one input record: return one result per item (same order;
 * `undefined` for none), each sent to every declared publisher as that
 * record's output (a publisher declared with `to(topic, { when })` takes only
 * the results it accepts), and/or call `item.publish` for one topic. Tombstones go to `onTombstone`
 * and split the batch, so every effect stays in offset order.
 */
export interface BatchRoute<
  TSchema = unknown,
  TCodecValue = unknown,
  TPublishers extends readonly PublisherSpec[] = readonly PublisherSpec[],
> extends RouteOptions<TSchema, TCodecValue, TPublishers> {
  readonly kind: 'batch';
  handleBatch(
    items: ReadonlyArray<BatchItem<RouteValue<TSchema, TCodecValue>, TPublishers[number]['topic']>>,
    ctx: BatchContext<TPublishers[number]['topic']>,
  ): BatchResult;
}

/** A handler module's route, of either kind. */
export type Route = RecordRoute | BatchRoute;

/** Defines a single-record route (a handler module's export). Types flow from `schema`/`codec` and `publishes`. */
export function defineRoute<
  TSchema extends StandardSchemaV1 | undefined = undefined,
  TCodecValue = unknown,
  const TPublishers extends readonly PublisherSpec[] = [],
>(route: Omit<RecordRoute<TSchema, TCodecValue, TPublishers>, 'kind'>): RecordRoute<TSchema, TCodecValue, TPublishers> {
  return { ...route, kind: 'record' };
}

/** Defines a batch route: the handler gets one partition's decoded records, in offset order. */
export function defineBatchRoute<
  TSchema extends StandardSchemaV1 | undefined = undefined,
  TCodecValue = unknown,
  const TPublishers extends readonly PublisherSpec[] = [],
>(route: Omit<BatchRoute<TSchema, TCodecValue, TPublishers>, 'kind'>): BatchRoute<TSchema, TCodecValue, TPublishers> {
  return { ...route, kind: 'batch' };
}
