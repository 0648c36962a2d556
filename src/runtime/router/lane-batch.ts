import { describeError } from '../errors/format.js';
import { InvariantError, TimeBudgetError } from '../errors/index.js';
import type { InboundRecord } from '../event/record.js';
import { BatchHandlerContext } from './context.js';
import { deadLetterMessage } from './dead-letter.js';
import { decodeRecordValue } from './decode.js';
import { deadLetterOrFail, type LaneRun } from './lane-failure.js';
import { recordLane, runRecord } from './lane-records.js';
import { DEAD_LETTERED, failAt, HANDLED, settle } from './lane-tally.js';
import type { OutboundMessage } from './outbox.js';
import { retryWithBudget } from './retry.js';
import type { BatchRoute } from './route.js';
import type { CompiledRoute } from './table.js';

/** Decoded records waiting for one batch call: their lane indexes and values. */
interface Segment {
  readonly indexes: number[];
  readonly values: unknown[];
}

/**
 * Runs a batch route's lane. Records decode one by one (failures are
 * dead-lettered or stop the lane, as for record routes); the decoded ones go
 * to `handleBatch` together. A tombstone ends the current batch: it goes to
 * `onTombstone` (or is skipped) after the records before it and before the
 * ones after it, so every effect stays in offset order.
 */
export async function runBatchLane(run: LaneRun, compiled: CompiledRoute, route: BatchRoute): Promise<void> {
  const { records } = run.lane;
  let segment: Segment = { indexes: [], values: [] };
  const tombstones = recordLane(run, compiled, { handle: unreachableHandle, onTombstone: route.onTombstone });
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as InboundRecord;
    if (record.isTombstone && !record.defect) {
      if (!(await runSegment(run, compiled, route, segment))) return;
      segment = { indexes: [], values: [] };
      if (!(await runRecord(tombstones, i, record))) return;
      continue;
    }
    let value: unknown;
    try {
      if (record.defect) throw record.defect;
      value = decodeRecordValue(compiled, record);
      if (value instanceof Promise) value = await value;
    } catch (error) {
      if (deadLetterOrFail(run, i, compiled, error)) continue;
      // The lane stops at this record; the records before it still get their batch.
      await runSegment(run, compiled, route, segment);
      return;
    }
    segment.indexes.push(i);
    segment.values.push(value);
  }
  await runSegment(run, compiled, route, segment);
}

/** One `handleBatch` call (with retries) over a segment. False when the lane stops at it. */
async function runSegment(run: LaneRun, compiled: CompiledRoute, route: BatchRoute, segment: Segment): Promise<boolean> {
  const { lane, tally, scope } = run;
  const first = segment.indexes[0];
  if (first === undefined) return true;
  const records = segment.indexes.map((index) => lane.records[index] as InboundRecord);
  if (!scope.budget.allows()) {
    failAt(
      tally,
      lane,
      first,
      new TimeBudgetError(records[0] as InboundRecord, Math.round(scope.budget.remainingMs()), scope.budget.reserveMs),
    );
    return false;
  }
  const outcome = await retryWithBudget(
    {
      policy: compiled.retry,
      budget: scope.budget,
      onRetry: (error, attempt, delayMs) =>
        scope.logger.warn('batch handler failed; retrying', {
          route: compiled.name,
          lane: lane.id,
          attempt,
          delayMs,
          error: describeError(error),
        }),
    },
    async (attempt: number): Promise<readonly OutboundMessage[]> => {
      const ctx = new BatchHandlerContext(compiled, scope, records, attempt);
      ctx.stageResults(await route.handleBatch(ctx.items(segment.values), ctx));
      return ctx.staged.messages;
    },
    undefined,
  );
  if (outcome.ok) {
    assignOutputs(run, segment, outcome.value);
    return true;
  }
  const topic = compiled.deadLetterTopic(lane.topic);
  if (!topic) return deadLetterOrFail(run, first, compiled, outcome.error);
  for (const [n, index] of segment.indexes.entries()) {
    settle(tally, index, DEAD_LETTERED, [deadLetterMessage(topic, records[n] as InboundRecord, outcome.error, compiled.name)]);
  }
  scope.logger.warn('batch dead-lettered', {
    route: compiled.name,
    lane: lane.id,
    records: records.length,
    deadLetterTopic: topic,
    error: describeError(outcome.error),
  });
  return true;
}

// Every output names its source record; it is kept (or dropped) with that record.
function assignOutputs(run: LaneRun, segment: Segment, messages: readonly OutboundMessage[]): void {
  const byOffset = new Map<number, OutboundMessage[]>();
  for (const message of messages) {
    const list = byOffset.get(message.source.offset);
    if (list) list.push(message);
    else byOffset.set(message.source.offset, [message]);
  }
  for (const index of segment.indexes) {
    const record = run.lane.records[index] as InboundRecord;
    settle(run.tally, index, HANDLED, byOffset.get(record.offset));
    byOffset.delete(record.offset);
  }
  if (byOffset.size > 0) throw new InvariantError(`batch outputs attributed to records outside the batch (${byOffset.size} offset(s))`);
}

function unreachableHandle(): never {
  throw new InvariantError('a tombstone reached a record handler');
}
