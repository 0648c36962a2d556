import { describeError, formatCoordinates } from '../errors/format.js';
import { TimeBudgetError } from '../errors/index.js';
import type { InboundRecord } from '../event/record.js';
import { RecordHandlerContext, stageReturn } from './context.js';
import { decodeRecordValue } from './decode.js';
import { deadLetterOrFail, type LaneRun } from './lane-failure.js';
import { failAt, HANDLED, SKIPPED, settle } from './lane-tally.js';
import type { OutboundMessage } from './outbox.js';
import { type RetryOutcome, retryWithBudget } from './retry.js';
import type { RecordRoute } from './route.js';
import type { CompiledRoute } from './table.js';

/**
 * Runs a record route's lane: records strictly in offset order, each to
 * completion (retries included) before the next starts, stopping at the first
 * record that fails without a dead-letter topic.
 */
export async function runRecordLane(run: LaneRun, compiled: CompiledRoute, route: RecordRoute): Promise<void> {
  const { records } = run.lane;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as InboundRecord;
    if (!(await runRecord(run, compiled, route, i, record))) return;
  }
}

/** One record: decode, then its handler (or `onTombstone`) with retries. False when the lane stops here. */
export async function runRecord(
  run: LaneRun,
  compiled: CompiledRoute,
  route: Pick<RecordRoute, 'handle' | 'onTombstone'>,
  index: number,
  record: InboundRecord,
): Promise<boolean> {
  const { scope, tally, lane } = run;
  if (!scope.budget.allows()) {
    failAt(tally, lane, index, new TimeBudgetError(record, Math.round(scope.budget.remainingMs()), scope.budget.reserveMs));
    return false;
  }
  if (record.defect) return deadLetterOrFail(run, index, compiled, record.defect);
  let handle: (ctx: RecordHandlerContext) => unknown;
  if (record.isTombstone) {
    const onTombstone = route.onTombstone;
    if (!onTombstone) {
      settle(tally, index, SKIPPED);
      scope.logger.debug('record skipped', { at: formatCoordinates(record), reason: 'tombstone' });
      return true;
    }
    handle = (ctx) => onTombstone(record, ctx);
  } else {
    let value: unknown;
    try {
      value = decodeRecordValue(compiled, record);
      if (value instanceof Promise) value = await value;
    } catch (error) {
      return deadLetterOrFail(run, index, compiled, error);
    }
    handle = (ctx) => route.handle(value as never, ctx);
  }
  const outcome = await attemptRecord(run, compiled, record, handle);
  if (!outcome.ok) return deadLetterOrFail(run, index, compiled, outcome.error);
  settle(tally, index, HANDLED, outcome.value);
  return true;
}

function attemptRecord(
  run: LaneRun,
  compiled: CompiledRoute,
  record: InboundRecord,
  handle: (ctx: RecordHandlerContext) => unknown,
): Promise<RetryOutcome<readonly OutboundMessage[]>> {
  const { scope } = run;
  return retryWithBudget(
    {
      policy: compiled.retry,
      budget: scope.budget,
      onRetry: (error, attempt, delayMs) =>
        scope.logger.warn('handler failed; retrying', {
          route: compiled.name,
          at: formatCoordinates(record),
          attempt,
          delayMs,
          error: describeError(error),
        }),
    },
    (attempt) => {
      const ctx = new RecordHandlerContext(compiled, scope, record, attempt);
      const result = handle(ctx);
      // Synchronous handlers stay synchronous: no extra promise per record on the hot path.
      return result instanceof Promise
        ? result.then((settled) => outputsOf(compiled, ctx, settled, record))
        : outputsOf(compiled, ctx, result, record);
    },
  );
}

const NO_OUTPUTS: readonly OutboundMessage[] = [];

function outputsOf(compiled: CompiledRoute, ctx: RecordHandlerContext, result: unknown, record: InboundRecord): readonly OutboundMessage[] {
  if (result !== undefined) stageReturn(compiled, ctx.staged(), result, record);
  return ctx.stagedMessages() ?? NO_OUTPUTS;
}
