import { describeError } from '../errors/format.js';
import { ConfigError, PermanentError } from '../errors/index.js';
import { headerEntries } from '../event/encode.js';
import type { KafkaHeaders } from '../event/headers.js';
import type { KafkaRecord } from '../event/record.js';
import type { Logger } from './logger.js';
import { StagedOutputs } from './outbox.js';
import { encodeForPublisher } from './publishers.js';
import type { BatchContext, HandlerContext, LambdaContext, PublishOptions } from './route.js';
import type { CompiledRoute } from './table.js';

/** What a context needs from the invocation. */
export interface InvocationScope {
  readonly logger: Logger;
  readonly lambda: LambdaContext | undefined;
  remainingTimeMs(): number;
}

/** Encodes `value` for `topic` and stages it; an undeclared topic is a configuration error. */
export function stagePublish(
  compiled: CompiledRoute,
  staged: StagedOutputs,
  topic: string,
  value: unknown,
  source: KafkaRecord,
  options: PublishOptions | undefined,
): void {
  const spec = compiled.publishers.get(topic);
  if (!spec) {
    throw new ConfigError(`Route '${compiled.name}' has no publisher for topic '${topic}'; declare it with publishes: [to('${topic}')]`);
  }
  let encodedValue: Buffer | null;
  let key: Buffer | null;
  const headers: Array<readonly [string, Buffer]> = [];
  try {
    encodedValue = encodeForPublisher(spec, value, source);
    const keyInput = options?.key !== undefined ? options.key : spec.key ? spec.key(value as never, source) : source.keyBytes;
    key = keyInput === null ? null : typeof keyInput === 'string' ? Buffer.from(keyInput, 'utf8') : keyInput;
    for (const [name, headerValue] of headerEntries(spec.headers?.(value as never, source))) headers.push([name, toBuffer(headerValue)]);
    for (const [name, headerValue] of headerEntries(options?.headers)) headers.push([name, toBuffer(headerValue)]);
  } catch (error) {
    // Encoding is deterministic: retrying the record would fail the same way.
    throw new PermanentError(`Cannot encode the output for topic '${topic}': ${describeError(error)}`, { cause: error });
  }
  staged.add({ topic, key, value: encodedValue, headers, kind: 'output', source });
}

/** Sends a handler's return value to every declared publisher (`undefined` sends nothing). */
export function stageReturn(compiled: CompiledRoute, staged: StagedOutputs, value: unknown, source: KafkaRecord): void {
  if (value === undefined) return;
  if (compiled.publishers.size === 0) {
    throw new ConfigError(
      `Route '${compiled.name}' returned a value but declares no publishers; return nothing or add publishes: [to('<topic>')]`,
    );
  }
  for (const topic of compiled.publishers.keys()) stagePublish(compiled, staged, topic, value, source, undefined);
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
    stagePublish(this.compiled, this.staged(), topic, value, this.record, options);
  }

  /** The attempt's staged outputs (created on first publish). */
  staged(): StagedOutputs {
    this.stagedOutputs ??= new StagedOutputs(this.compiled.name, this.record);
    return this.stagedOutputs;
  }

  /** Outputs to commit if the attempt succeeded. */
  get outputs(): StagedOutputs | undefined {
    return this.stagedOutputs;
  }
}

/** The context of one attempt of a batch handler. `publish` attributes outputs to the batch's last record unless told otherwise. */
export class BatchHandlerContext implements BatchContext<string> {
  readonly staged: StagedOutputs;

  constructor(
    private readonly compiled: CompiledRoute,
    private readonly scope: InvocationScope,
    readonly topic: string,
    readonly partition: number,
    readonly attempt: number,
    private readonly lastRecord: KafkaRecord,
  ) {
    this.staged = new StagedOutputs(compiled.name, lastRecord);
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

  publish(topic: string, value: unknown, options?: PublishOptions & { source?: KafkaRecord }): void {
    stagePublish(this.compiled, this.staged, topic, value, options?.source ?? this.lastRecord, options);
  }
}

function toBuffer(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}
