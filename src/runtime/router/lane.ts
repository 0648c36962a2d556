import { describeError, formatCoordinates } from '../errors/format.js';
import { type KafkaRouterFailure, NoRouteError, TimeBudgetError } from '../errors/index.js';
import type { Lane } from '../event/parse.js';
import type { InboundRecord } from '../event/record.js';
import type { TimeBudget } from './budget.js';
import { BatchHandlerContext, type InvocationScope, RecordHandlerContext, stageReturn } from './context.js';
import { deadLetterMessage } from './dead-letter.js';
import { decodeRecordValue } from './decode.js';
import { HANDLED, LaneTally, SKIPPED } from './lane-tally.js';
import type { OutboundMessage } from './outbox.js';
import { backoffDelay, isPermanent } from './retry.js';
import type { BatchItem, BatchRoute, RecordRoute } from './route.js';
import type { Router } from './router.js';
import type { CompiledRoute } from './table.js';

/** How one topic-partition went. `handled + deadLettered + skipped + failed === records`. */
export interface LaneReport {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly records: number;
  readonly handled: number;
  readonly deadLettered: number;
  readonly skipped: number;
  /** Records from the first failure on: Lambda delivers them again. */
  readonly failed: number;
  readonly failure: KafkaRouterFailure | undefined;
  /** Outputs and dead letters of the records before the failure point, in record order. */
  readonly messages: readonly OutboundMessage[];
}

/** Everything a lane needs from its invocation. */
export interface LaneScope extends InvocationScope {
  readonly router: Router;
  readonly budget: TimeBudget;
}

type Attempt = { readonly ok: true; readonly outputs: readonly OutboundMessage[] } | { readonly ok: false; readonly error: unknown };
const NO_OUTPUTS: readonly OutboundMessage[] = [];

/**
 * Runs one lane: records strictly in offset order, each to completion
 * (including retries) before the next starts. Stops at the first record that
 * fails without a dead-letter topic; that record and every later one are
 * reported failed, and none of their outputs leave the lane.
 */
export async function runLane(lane: Lane, scope: LaneScope): Promise<LaneReport> {
  const tally = new LaneTally(lane);
  try {
    const compiled = scope.router.table.resolve(lane.topic);
    if (!compiled) return unmatched(lane, scope, tally);
    if (compiled.route.kind === 'batch') await runBatchLane(lane, compiled, compiled.route, scope, tally);
    else await runRecordLane(lane, compiled, compiled.route, scope, tally);
  } catch (error) {
    // A bug in the router itself must still not lose records: fail from where we are.
    tally.failAt(tally.position, error);
  }
  return tally.report();
}

async function runRecordLane(lane: Lane, compiled: CompiledRoute, route: RecordRoute, scope: LaneScope, tally: LaneTally): Promise<void> {
  const { records } = lane;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as InboundRecord;
    tally.position = i;
    if (!scope.budget.allows())
      return tally.failAt(i, new TimeBudgetError(record, Math.round(scope.budget.remainingMs()), scope.budget.reserveMs));
    let attempt: Attempt;
    if (record.isTombstone) {
      if (!route.onTombstone) {
        tally.skip(i, record, scope, 'tombstone');
        continue;
      }
      attempt = await attemptWithRetries(compiled, scope, record, (ctx) => route.onTombstone?.(record, ctx));
    } else {
      let value: unknown;
      try {
        value = decodeRecordValue(compiled, record);
        if (value instanceof Promise) value = await value;
      } catch (error) {
        if (!tally.deadLetterOrFail(i, record, compiled, error, scope)) return;
        continue;
      }
      attempt = await attemptWithRetries(compiled, scope, record, (ctx) => route.handle(value, ctx));
    }
    if (attempt.ok) tally.handle(i, attempt.outputs);
    else if (!tally.deadLetterOrFail(i, record, compiled, attempt.error, scope)) return;
  }
}

async function attemptWithRetries(
  compiled: CompiledRoute,
  scope: LaneScope,
  record: InboundRecord,
  call: (ctx: RecordHandlerContext) => unknown,
): Promise<Attempt> {
  const policy = compiled.retry;
  for (let attempt = 1; ; attempt++) {
    const ctx = new RecordHandlerContext(compiled, scope, record, attempt);
    try {
      let result = call(ctx);
      if (isThenable(result)) result = await result;
      if (result !== undefined) stageReturn(compiled, ctx.staged(), result, record);
      return { ok: true, outputs: ctx.outputs?.messages ?? NO_OUTPUTS };
    } catch (error) {
      const delay = backoffDelay(policy, attempt + 1);
      if (isPermanent(error) || attempt >= policy.attempts || !scope.budget.allows(delay)) return { ok: false, error };
      scope.logger.warn('handler failed; retrying', {
        route: compiled.name,
        at: formatCoordinates(record),
        attempt,
        delayMs: delay,
        error: describeError(error),
      });
      await sleep(delay);
    }
  }
}

async function runBatchLane(lane: Lane, compiled: CompiledRoute, route: BatchRoute, scope: LaneScope, tally: LaneTally): Promise<void> {
  const items: Array<BatchItem<unknown>> = [];
  const itemIndexes: number[] = [];
  const { records } = lane;
  let stopAt = -1;
  let stopError: unknown;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as InboundRecord;
    tally.position = i;
    if (record.isTombstone) {
      tally.skip(i, record, scope, 'tombstone');
      continue;
    }
    try {
      let value = decodeRecordValue(compiled, record);
      if (value instanceof Promise) value = await value;
      items.push({ value, record });
      itemIndexes.push(i);
    } catch (error) {
      if (!tally.deadLetterOrFail(i, record, compiled, error, scope)) {
        stopAt = i;
        stopError = error;
        break;
      }
    }
  }
  if (items.length === 0) return;
  const firstItem = itemIndexes[0] as number;
  if (!scope.budget.allows()) {
    return tally.failAt(
      firstItem,
      new TimeBudgetError(records[firstItem] as InboundRecord, Math.round(scope.budget.remainingMs()), scope.budget.reserveMs),
    );
  }

  const last = (items[items.length - 1] as BatchItem<unknown>).record as InboundRecord;
  const policy = compiled.retry;
  for (let attempt = 1; ; attempt++) {
    const ctx = new BatchHandlerContext(compiled, scope, lane.topic, lane.partition, attempt, last);
    try {
      let result = route.handleBatch(items, ctx);
      if (isThenable(result)) result = await result;
      if (Array.isArray(result)) for (const value of result) stageReturn(compiled, ctx.staged, value, last);
      else if (result !== undefined) stageReturn(compiled, ctx.staged, result, last);
      for (const index of itemIndexes) tally.mark(index, HANDLED);
      tally.emit(ctx.staged.messages);
      break;
    } catch (error) {
      const delay = backoffDelay(policy, attempt + 1);
      if (isPermanent(error) || attempt >= policy.attempts || !scope.budget.allows(delay)) {
        const topic = compiled.deadLetterTopic(lane.topic);
        if (!topic) return tally.failAt(firstItem, error);
        for (const [n, item] of items.entries())
          tally.deadLetter(itemIndexes[n] as number, deadLetterMessage(topic, item.record, error, compiled.name));
        scope.logger.warn('batch dead-lettered', {
          route: compiled.name,
          lane: lane.id,
          records: items.length,
          deadLetterTopic: topic,
          error: describeError(error),
        });
        break;
      }
      scope.logger.warn('batch handler failed; retrying', {
        route: compiled.name,
        lane: lane.id,
        attempt,
        delayMs: delay,
        error: describeError(error),
      });
      await sleep(delay);
    }
  }
  if (stopAt >= 0) tally.failAt(stopAt, stopError);
}

function unmatched(lane: Lane, scope: LaneScope, tally: LaneTally): LaneReport {
  const policy = scope.router.unmatched;
  const first = lane.records[0] as InboundRecord;
  if (policy === 'fail') {
    tally.failAt(0, new NoRouteError(first));
  } else if (policy === 'skip') {
    scope.logger.warn('no route for topic; records skipped', { lane: lane.id, records: lane.records.length });
    for (let i = 0; i < lane.records.length; i++) tally.mark(i, SKIPPED);
  } else {
    lane.records.forEach((record, i) => {
      tally.deadLetter(i, deadLetterMessage(policy.deadLetter, record, new NoRouteError(record), 'unmatched'));
    });
    scope.logger.warn('no route for topic; records dead-lettered', {
      lane: lane.id,
      records: lane.records.length,
      deadLetterTopic: policy.deadLetter,
    });
  }
  return tally.report();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
