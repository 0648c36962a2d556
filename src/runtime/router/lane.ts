import { InvariantError, NoRouteError } from '../errors/index.js';
import type { Lane } from '../event/parse.js';
import type { InboundRecord } from '../event/record.js';
import { deadLetterMessage } from './dead-letter.js';
import { runBatchLane } from './lane-batch.js';
import type { LaneRun, LaneScope } from './lane-failure.js';
import { runRecordLane } from './lane-records.js';
import { DEAD_LETTERED, failAt, firstUnsettled, type LaneReport, newTally, SKIPPED, settle, toReport } from './lane-tally.js';
import { runTracedLane } from './lane-trace.js';

export type { LaneScope } from './lane-failure.js';
export type { LaneReport } from './lane-tally.js';

/**
 * Runs one lane (a topic-partition's records) with the route for its topic:
 * in offset order, each record to completion before the next, stopping at the
 * first record that fails without a dead-letter topic. That record and every
 * later one are reported failed, and none of their outputs leave the lane.
 */
export async function runLane(lane: Lane, scope: LaneScope): Promise<LaneReport> {
  const run: LaneRun = { lane, scope, tally: newTally(lane) };
  try {
    const compiled = scope.router.table.resolve(lane.topic);
    const traced = scope.trace;
    if (!compiled) {
      if (traced) await runTracedLane(traced, run, UNMATCHED_ROUTE, () => runUnmatched(run));
      else runUnmatched(run);
    } else if (compiled.route.kind === 'batch') {
      const route = compiled.route;
      if (traced) await runTracedLane(traced, run, compiled.name, () => runBatchLane(run, compiled, route));
      else await runBatchLane(run, compiled, route);
    } else await runRecordLane(run, compiled, compiled.route);
  } catch (error) {
    // A bug in the router itself must still not lose records: fail from the first unfinished one.
    failAt(run.tally, lane, Math.max(0, run.tally.dispositions.indexOf(0)), error);
  }
  const unsettled = firstUnsettled(run.tally);
  if (unsettled !== -1) {
    const record = lane.records[unsettled] as InboundRecord;
    failAt(run.tally, lane, unsettled, new InvariantError('a record was neither handled, dead-lettered, skipped nor failed', record));
  }
  return toReport(run.tally, lane);
}

// The route name a record span of an unmatched topic carries.
const UNMATCHED_ROUTE = '(unmatched)';

function runUnmatched({ lane, scope, tally }: LaneRun): void {
  const policy = scope.router.unmatched;
  if (policy === 'fail') {
    failAt(tally, lane, 0, new NoRouteError(lane.records[0] as InboundRecord));
  } else if (policy === 'skip') {
    scope.logger.warn('no route for topic; records skipped', { lane: lane.id, records: lane.records.length });
    for (let i = 0; i < lane.records.length; i++) settle(tally, i, SKIPPED);
  } else {
    lane.records.forEach((record, i) => {
      settle(tally, i, DEAD_LETTERED, [
        deadLetterMessage(policy.deadLetter, record, record.defect ?? new NoRouteError(record), 'unmatched'),
      ]);
    });
    scope.logger.warn('no route for topic; records dead-lettered', {
      lane: lane.id,
      records: lane.records.length,
      deadLetterTopic: policy.deadLetter,
    });
  }
}
