import { describeError } from '../errors/format.js';
import { ConfigError, PermanentError } from '../errors/index.js';
import { type HeaderInput, headerEntries, toBytes } from '../event/encode.js';
import type { KafkaHeaders } from '../event/headers.js';
import type { KafkaRecord } from '../event/record.js';
import type { Logger } from './logger.js';
import { type OutboundMessage, type StagedMessage, StagedOutputs } from './outbox.js';
import { encodeForPublisher, type PublisherSpec } from './publishers.js';
import type { AggregateOptions, BatchContext, BatchItem, HandlerContext, LambdaContext, PublishOptions } from './route.js';
import type { CompiledRoute } from './table.js';

/** What a context needs from the invocation. */
export interface InvocationScope {
  readonly logger: Logger;
  readonly lambda: LambdaContext | undefined;
  remainingTimeMs(): number;
}

/** Encodes `value` for `topic` as an output of `source`; an undeclared topic is a configuration error. */
export function encodeOutput(
  compiled: CompiledRoute,
  topic: string,
  value: unknown,
  source: KafkaRecord | undefined,
  options: { readonly key?: string | Buffer | null; readonly headers?: HeaderInput } | undefined,
  /** The value's plain encoding, shared by the publishers that neither map nor encode it (set on first use). */
  plain?: { value?: Buffer | null },
): StagedMessage {
  const spec = publisherFor(compiled, topic);
  try {
    const keyInput =
      options?.key !== undefined ? options.key : spec.key ? spec.key(value as never, source as KafkaRecord) : (source?.keyBytes ?? null);
    const headers: Array<readonly [string, Buffer]> = [];
    for (const [name, headerValue] of headerEntries(spec.headers?.(value as never, source as KafkaRecord)))
      headers.push([name, toBytes(headerValue)]);
    for (const [name, headerValue] of headerEntries(options?.headers)) headers.push([name, toBytes(headerValue)]);
    // kafkajs only reads a message's value, so outputs of one result to several plain publishers can share its bytes.
    let encoded: Buffer | null;
    if (plain && !spec.map && !spec.codec) {
      if (plain.value === undefined) plain.value = encodeForPublisher(spec, value, source);
      encoded = plain.value;
    } else encoded = encodeForPublisher(spec, value, source);
    return { topic, key: keyInput === null ? null : toBytes(keyInput), value: encoded, headers };
  } catch (error) {
    // Encoding is deterministic: retrying the record would fail the same way.
    throw new PermanentError(`Cannot encode the output for topic '${topic}' (${describeError(error)})`, { cause: error });
  }
}

/** Stages a handler's return value as an output of `source` for every declared publisher (`undefined` sends nothing). */
export function stageReturn(compiled: CompiledRoute, staged: StagedOutputs, value: unknown, source: KafkaRecord): void {
  if (value === undefined) return;
  if (compiled.publishers.size === 0) {
    throw new ConfigError(
      `Route '${compiled.name}' returned a value but declares no publishers; return nothing or add publishes: [to('<topic>')]`,
    );
  }
  const plain: { value?: Buffer | null } = {};
  for (const [topic, spec] of compiled.publishers) {
    // A returned value goes to every publisher unless one chooses with `when` (explicit ctx.publish is not filtered).
    if (spec.when && !spec.when(value as never, source)) continue;
    staged.add(encodeOutput(compiled, topic, value, source, undefined, plain), source);
  }
}

/** The context of one attempt of a single-record handler. */
export class RecordHandlerContext implements HandlerContext<string> {
  private stagedOutputs: StagedOutputs | undefined;

  constructor(
    private readonly compiled: CompiledRoute,
    private readonly scope: InvocationScope,
    readonly record: KafkaRecord,
    readonly attempt: number,
  ) {}

  get logger(): Logger {
    return this.scope.logger;
  }

  get lambda(): LambdaContext | undefined {
    return this.scope.lambda;
  }

  get key(): string | null {
    return this.record.key;
  }

  get headers(): KafkaHeaders {
    return this.record.headers;
  }

  remainingTimeMs(): number {
    return this.scope.remainingTimeMs();
  }

  publish(topic: string, value: unknown, options?: PublishOptions): void {
    this.staged().add(encodeOutput(this.compiled, topic, value, this.record, options), this.record);
  }

  /** The attempt's outputs so far, if it published any. */
  stagedMessages(): readonly OutboundMessage[] | undefined {
    return this.stagedOutputs?.messages;
  }

  /** The attempt's staged outputs (created on first publish). */
  staged(): StagedOutputs {
    this.stagedOutputs ??= new StagedOutputs(this.compiled.name, this.compiled.lineage);
    return this.stagedOutputs;
  }
}

/** The context of one attempt of a batch handler, with the items it hands out. */
export class BatchHandlerContext implements BatchContext<string> {
  readonly staged: StagedOutputs;
  readonly topic: string;
  readonly partition: number;

  constructor(
    private readonly compiled: CompiledRoute,
    private readonly scope: InvocationScope,
    private readonly records: readonly KafkaRecord[],
    readonly attempt: number,
  ) {
    this.staged = new StagedOutputs(compiled.name, compiled.lineage);
    const first = records[0] as KafkaRecord;
    this.topic = first.topic;
    this.partition = first.partition;
  }

  get logger(): Logger {
    return this.scope.logger;
  }

  get lambda(): LambdaContext | undefined {
    return this.scope.lambda;
  }

  remainingTimeMs(): number {
    return this.scope.remainingTimeMs();
  }

  /** The items of this attempt: each publishes as an output of its own record. */
  items(values: readonly unknown[]): Array<BatchItem<unknown>> {
    const { compiled, staged } = this;
    return this.records.map((record, i) => ({
      value: values[i],
      record,
      publish: (topic: string, value: unknown, options?: PublishOptions) =>
        staged.add(encodeOutput(compiled, topic, value, record, options), record),
    }));
  }

  publishAggregate(topic: string, value: unknown, options: AggregateOptions): void {
    if (options?.key === undefined) {
      throw new ConfigError(
        `Route '${this.compiled.name}': publishAggregate needs an explicit key (null for none): an aggregate has no record to take it from`,
      );
    }
    this.staged.addAggregate(encodeOutput(this.compiled, topic, value, undefined, options), this.records);
  }

  /** Stages the handler's results: one per item, in item order. */
  stageResults(results: unknown): void {
    if (results === undefined) return;
    if (!Array.isArray(results) || results.length !== this.records.length) {
      const lane = this.records[0]?.lane ?? '(no records)';
      throw new ConfigError(
        `Batch route '${this.compiled.name}', partition ${lane}: handleBatch must return nothing or one result per item: expected ${this.records.length} results, got ${Array.isArray(results) ? results.length : `a ${typeof results}`}; use item.publish or ctx.publishAggregate for other outputs`,
      );
    }
    for (let i = 0; i < results.length; i++) stageReturn(this.compiled, this.staged, results[i], this.records[i] as KafkaRecord);
  }
}

function publisherFor(compiled: CompiledRoute, topic: string): PublisherSpec {
  const spec = compiled.publishers.get(topic);
  if (!spec)
    throw new ConfigError(`Route '${compiled.name}' has no publisher for topic '${topic}'; declare it with publishes: [to('${topic}')]`);
  return spec;
}
