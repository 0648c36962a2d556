// Types only: the library itself is the user's import (an optional peer dependency), handed over as `powertools`.
import type * as Powertools from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { describeError } from '../errors/format.js';
import { ConfigError, IdempotencyError } from '../errors/index.js';
import { LINEAGE_HEADERS } from './lineage.js';
import { COMPACT_LINEAGE_HEADER, decodeLineage, messageIdText } from './lineage-compact.js';
import type { HandlerContext, PublishOptions } from './route.js';
import { fromStorable, type Storable, toStorable } from './storable.js';

/**
 * A Powertools persistence layer (`DynamoDBPersistenceLayer`, `CachePersistenceLayer`, any `BasePersistenceLayer`),
 * described by the methods used, so the published types do not need the optional peer dependency installed.
 */
export interface IdempotencyStore {
  configure(options: never): void;
  saveInProgress(data: never, remainingTimeInMillis?: number): Promise<void>;
  saveSuccess(data: never, result: never): Promise<void>;
  deleteRecord(data: never): Promise<void>;
  getRecord(data: never): Promise<unknown>;
}

/** Options of {@link idempotent}. */
export interface IdempotencyOptions {
  /** Names this handler's records in the store; give every idempotent handler its own (two routes reading one topic must not share). */
  readonly name: string;
  /**
   * Loads Powertools Idempotency: `() => import('@aws-lambda-powertools/idempotency')`. Called on the first
   * record, so it loads only then; written in your code, so your bundler includes it (the router names no
   * optional dependency itself).
   */
  readonly powertools: () => Promise<unknown>;
  /**
   * Creates the Powertools persistence layer (DynamoDB, or a Redis/Valkey cache), called once on first use,
   * so the library and its client load only when a record is handled.
   */
  readonly persistenceStore: () => IdempotencyStore | Promise<IdempotencyStore>;
  /** How long a handled record is remembered, in seconds (default 3600): a redelivery later than that runs again. */
  readonly expiresAfterSeconds?: number;
  /**
   * How long an attempt that never finished (its container crashed) keeps a redelivery waiting, in ms
   * (default 60 000, capped by the invocation's remaining time). Set it a little above the longest time
   * the handler takes for one record: a redelivery waits it out rather than failing.
   */
  readonly inProgressExpiryMs?: number;
}

/** A single-record handler. */
export type RecordHandler<TValue, TTopics extends string> = (value: TValue, ctx: HandlerContext<TTopics>) => unknown;

/** What the store keeps per message: the handler's return value and its `ctx.publish` calls, JSON-safe. */
interface StoredOutcome {
  readonly returned?: Storable;
  readonly published: ReadonlyArray<{ readonly topic: string; readonly value: Storable; readonly options?: Storable }>;
}

/** What the helpers below read of a handler context. */
type RecordScope = Pick<HandlerContext, 'record' | 'headers' | 'remainingTimeMs'>;

type Execute = (payload: { key: string }, call: () => Promise<StoredOutcome>) => Promise<StoredOutcome>;

const POLL_MS = 200;

/**
 * Makes a record handler's side effects happen once per message, on
 * Powertools Idempotency: the first delivery runs the handler and stores what
 * it returned and published; a redelivery (Lambda retrying a batch, a crashed
 * container, an upstream duplicate) does not run it again but publishes the
 * stored outputs, so they carry the same message ids. A message is its input's
 * `x-message-id` when it has one (an upstream copy at another offset is the
 * same message), else its topic, partition and offset. Handler errors pass
 * through unchanged and nothing is stored, so a retry runs the handler again.
 * Outputs must survive a JSON round trip (Buffers are kept).
 */
export function idempotent<TValue, TTopics extends string>(
  handle: RecordHandler<TValue, TTopics>,
  options: IdempotencyOptions,
): (value: TValue, ctx: HandlerContext<TTopics>) => Promise<unknown> {
  if (typeof options?.name !== 'string' || options.name.trim() === '') {
    throw new ConfigError('idempotent(): options.name must name the handler (it prefixes its keys in the store)');
  }
  const inProgressExpiryMs = options.inProgressExpiryMs ?? 60_000;
  // Powertools reads the in-progress expiry from a Lambda context; ours is capped so a crash does not block for the whole timeout.
  let remainingMs: () => number = () => Number.POSITIVE_INFINITY;
  const lambdaContext = { getRemainingTimeInMillis: () => Math.min(remainingMs(), inProgressExpiryMs) } as Context;
  let loading: Promise<Execute> | undefined;
  const load = async (): Promise<Execute> => {
    const [library, persistenceStore] = await Promise.all([options.powertools(), options.persistenceStore()]);
    const { makeIdempotent, IdempotencyConfig } = (library ?? {}) as Partial<typeof Powertools>;
    if (typeof makeIdempotent !== 'function' || typeof IdempotencyConfig !== 'function') {
      throw new ConfigError(
        "idempotent(): options.powertools must load '@aws-lambda-powertools/idempotency' (makeIdempotent, IdempotencyConfig)",
      );
    }
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      throwOnNoIdempotencyKey: true,
      lambdaContext,
      ...(options.expiresAfterSeconds !== undefined ? { expiresAfterSeconds: options.expiresAfterSeconds } : {}),
    });
    return makeIdempotent((_payload: { key: string }, call: () => Promise<StoredOutcome>) => call(), {
      // The structural type above is what users pass; Powertools' own class is what it is.
      persistenceStore: persistenceStore as unknown as BasePersistenceLayer,
      config,
      keyPrefix: options.name,
      dataIndexArgument: 0,
    }) as Execute;
  };

  return async (value, ctx) => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined; // the next record tries again
      if (error instanceof ConfigError) throw error;
      throw new IdempotencyError(`Cannot set up the idempotency store for '${options.name}': ${describeError(error)}`, {
        at: ctx.record,
        cause: error,
      });
    });
    const execute = await loading;
    remainingMs = () => ctx.remainingTimeMs();
    let executed = false;
    const call = async (): Promise<StoredOutcome> => {
      executed = true;
      const published: Array<StoredOutcome['published'][number]> = [];
      const recording: HandlerContext<TTopics> = {
        record: ctx.record,
        key: ctx.key,
        headers: ctx.headers,
        logger: ctx.logger,
        lambda: ctx.lambda,
        attempt: ctx.attempt,
        remainingTimeMs: () => ctx.remainingTimeMs(),
        publish(topic, output, publishOptions?: PublishOptions) {
          ctx.publish(topic, output, publishOptions);
          published.push({ topic, value: toStorable(output), ...(publishOptions ? { options: toStorable(publishOptions) } : {}) });
        },
      };
      const returned = await handle(value, recording);
      return { ...(returned !== undefined ? { returned: toStorable(returned) } : {}), published };
    };
    const outcome = await executeWaitingOutInProgress(execute, messageKey(ctx), call, ctx, inProgressExpiryMs);
    if (!executed) {
      // A repeat: publish what the first run published, in the same order, so the outputs get the same ids.
      for (const output of outcome.published) {
        ctx.publish(output.topic as TTopics, fromStorable(output.value), fromStorable(output.options) as PublishOptions | undefined);
      }
    }
    return fromStorable(outcome.returned);
  };
}

/** The message a record is: its input's `x-message-id` (or the id in its compact `x-lineage`), else its coordinates. */
function messageKey(ctx: RecordScope): string {
  const id = ctx.headers.get(LINEAGE_HEADERS.messageId);
  if (id) return `id:${id}`;
  const compact = ctx.headers.bytes(COMPACT_LINEAGE_HEADER);
  // The same text as the x-message-id header of an output with headers lineage, so both forms key alike.
  if (compact) return `id:${messageIdText(decodeLineage(compact, ctx.record).messageId)}`;
  return `at:${ctx.record.topic}/${ctx.record.partition}/${ctx.record.offset}`;
}

/**
 * Runs `execute`; while an earlier attempt of the same message is still marked in progress
 * (a crashed container), waits for that mark to expire, as long as the invocation has time.
 */
async function executeWaitingOutInProgress(
  execute: Execute,
  key: string,
  call: () => Promise<StoredOutcome>,
  ctx: RecordScope,
  inProgressExpiryMs: number,
): Promise<StoredOutcome> {
  const began = Date.now();
  for (;;) {
    try {
      return await execute({ key }, call);
    } catch (error) {
      if (!(error instanceof Error) || !error.name.startsWith('Idempotency')) throw error; // the handler's own error, untouched
      const inProgress = error.name === 'IdempotencyAlreadyInProgressError';
      const mayWait = Date.now() - began < inProgressExpiryMs + POLL_MS && ctx.remainingTimeMs() > 4 * POLL_MS;
      if (inProgress && mayWait) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        continue;
      }
      throw new IdempotencyError(
        inProgress
          ? `An earlier attempt of this record is still in progress (waited ${Date.now() - began} ms)`
          : `The idempotency store failed: ${describeError(error)}`,
        { at: ctx.record, cause: error },
      );
    }
  }
}
