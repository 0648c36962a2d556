import { describeError, formatCoordinates } from '../errors/format.js';
import { IdempotencyError, RegistryUnavailableError } from '../errors/index.js';
import type { Lane } from '../event/parse.js';
import type { InboundRecord } from '../event/record.js';
import type { InvocationTrace } from '../trace/tracing.js';
import type { TimeBudget } from './budget.js';
import type { InvocationScope } from './context.js';
import { deadLetterMessage } from './dead-letter.js';
import { DEAD_LETTERED, failAt, type LaneTally, settle } from './lane-tally.js';
import type { Router } from './router.js';
import type { CompiledRoute } from './table.js';

/** Everything a lane needs from its invocation. */
export interface LaneScope extends InvocationScope {
  readonly router: Router;
  readonly budget: TimeBudget;
  /** The invocation's trace, when a tracer provider records it. */
  readonly trace?: InvocationTrace | undefined;
}

/** The lane being run, its tally and its invocation: what every step of a lane works on. */
export interface LaneRun {
  readonly lane: Lane;
  readonly tally: LaneTally;
  readonly scope: LaneScope;
}

/**
 * The one decision for a record that failed for good (permanent error, or
 * retries exhausted): dead-letter it when its route has a dead-letter topic
 * (true: the lane goes on), else make it the lane's failure point (false: the
 * lane stops here and Lambda redelivers from it). An outage of something the
 * record depends on (schema registry, idempotency store) always stops the lane:
 * it is not the record's fault.
 */
export function deadLetterOrFail(run: LaneRun, index: number, compiled: CompiledRoute, error: unknown): boolean {
  const record = run.lane.records[index] as InboundRecord;
  const topic = compiled.deadLetterTopic(record.topic);
  if (!topic || isOutage(error)) {
    failAt(run.tally, run.lane, index, error);
    return false;
  }
  settle(run.tally, index, DEAD_LETTERED, [deadLetterMessage(topic, record, error, compiled.name)]);
  run.scope.logger.warn('record dead-lettered', {
    route: compiled.name,
    at: formatCoordinates(record),
    deadLetterTopic: topic,
    error: describeError(error),
  });
  return true;
}

/**
 * Errors that say a dependency was down, not that the record is bad: dead-lettering would
 * lose a good record (and, for the idempotency store, skip its one effect), so Lambda
 * delivers it again later instead.
 */
function isOutage(error: unknown): boolean {
  return error instanceof RegistryUnavailableError || error instanceof IdempotencyError;
}
