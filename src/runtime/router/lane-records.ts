import { describeError, formatCoordinates } from '../errors/format.js';
import { TimeBudgetError } from '../errors/index.js';
import type { InboundRecord } from '../event/record.js';
import { RecordHandlerContext, stageReturn } from './context.js';
import { decodeRecordValue } from './decode.js';
import { deadLetterOrFail, type LaneRun } from './lane-failure.js';
import { failAt, HANDLED, SKIPPED, settle } from './lane-tally.js';
import { runTracedRecord } from './lane-trace.js';
import type { OutboundMessage } from './outbox.js';
import { type RetryScope, retryWithBudget } from './retry.js';
import type { RecordRoute } from './route.js';
import type { CompiledRoute } from './table.js';

/** What a record lane needs of its route: a handler and, optionally, one for tombstones. */
export type RecordHandlers = Pick<RecordRoute, 'handle' | 'onTombstone'>;

/** One record's attempt: its lane, the record and its decoded value (undefined for a tombstone). */
interface RecordJob {
  readonly lane: RecordLane;
  readonly record: InboundRecord;
  readonly value: unknown;
}

/** A record lane's fixed parts, built once per lane so no record allocates closures. */
export interface RecordLane {
  readonly run: LaneRun;
  readonly compiled: CompiledRoute;
  readonly handlers: RecordHandlers;
  readonly retry: RetryScope<RecordJob>;
}

/** Prepares a lane whose records go one at a time to `handlers`. */
export function recordLane(run: LaneRun, compiled: CompiledRoute, handlers: RecordHandlers): RecordLane {
  const { logger } = run.scope;
  return {
    run,
    compiled,
    handlers,
    retry: {
      policy: compiled.retry,
      budget: run.scope.budget,
      onRetry: (error, attempt, delayMs, job) =>
        logger.warn('handler failed; retrying', {
          route: compiled.name,
          at: formatCoordinates(job.record),
          attempt,
          delayMs,
          error: describeError(error),
        }),
    },
  };
}

/**
 * Runs a record route's lane: records strictly in offset order, each to
 * completion (retries included) before the next starts, stopping at the first
 * record that fails without a dead-letter topic.
 */
export async function runRecordLane(run: LaneRun, compiled: CompiledRoute, route: RecordRoute): Promise<void> {
  const lane = recordLane(run, compiled, route);
  const { records } = run.lane;
  const traced = run.scope.trace;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as InboundRecord;
    const next = traced
      ? runTracedRecord(traced, run, compiled.name, i, record, () => runRecord(lane, i, record))
      : runRecord(lane, i, record);
    if (!(next instanceof Promise ? await next : next)) return;
  }
}

/** One record: decode, then its handler (or `onTombstone`) with retries. False when the lane stops here. */
export function runRecord(lane: RecordLane, index: number, record: InboundRecord): boolean | Promise<boolean> {
  const { run, compiled, handlers } = lane;
  const { scope, tally } = run;
  if (!scope.budget.allows()) {
    failAt(tally, run.lane, index, new TimeBudgetError(record, Math.round(scope.budget.remainingMs()), scope.budget.reserveMs));
    return false;
  }
  if (record.defect) return deadLetterOrFail(run, index, compiled, record.defect);
  if (record.isTombstone && !handlers.onTombstone) {
    settle(tally, index, SKIPPED);
    scope.logger.debug('record skipped', { at: formatCoordinates(record), reason: 'tombstone' });
    return true;
  }
  let value: unknown;
  try {
    value = record.isTombstone ? undefined : decodeRecordValue(compiled, record);
  } catch (error) {
    return deadLetterOrFail(run, index, compiled, error);
  }
  if (value instanceof Promise) {
    return value.then(
      (decoded: unknown) => handleRecord(lane, index, { lane, record, value: decoded }),
      (error: unknown) => deadLetterOrFail(run, index, compiled, error),
    );
  }
  return handleRecord(lane, index, { lane, record, value });
}

function handleRecord(lane: RecordLane, index: number, job: RecordJob): boolean | Promise<boolean> {
  const outcome = retryWithBudget(lane.retry, attemptRecord, job);
  if (outcome instanceof Promise) return outcome.then((settled) => settleRecord(lane, index, settled));
  return settleRecord(lane, index, outcome);
}

function settleRecord(
  lane: RecordLane,
  index: number,
  outcome: { ok: true; value: readonly OutboundMessage[] } | { ok: false; error: unknown },
): boolean {
  if (!outcome.ok) return deadLetterOrFail(lane.run, index, lane.compiled, outcome.error);
  settle(lane.run.tally, index, HANDLED, outcome.value);
  return true;
}

function attemptRecord(attempt: number, job: RecordJob): readonly OutboundMessage[] | Promise<readonly OutboundMessage[]> {
  const { compiled, handlers, run } = job.lane;
  const ctx = new RecordHandlerContext(compiled, run.scope, job.record, attempt);
  const result = job.record.isTombstone ? handlers.onTombstone?.(job.record, ctx) : handlers.handle(job.value as never, ctx);
  // Synchronous handlers stay synchronous: no extra promise per record on the hot path.
  return result instanceof Promise
    ? result.then((settled) => outputsOf(compiled, ctx, settled, job.record))
    : outputsOf(compiled, ctx, result, job.record);
}

const NO_OUTPUTS: readonly OutboundMessage[] = [];

function outputsOf(compiled: CompiledRoute, ctx: RecordHandlerContext, result: unknown, record: InboundRecord): readonly OutboundMessage[] {
  if (result !== undefined) stageReturn(compiled, ctx.staged(), result, record);
  return ctx.stagedMessages() ?? NO_OUTPUTS;
}
