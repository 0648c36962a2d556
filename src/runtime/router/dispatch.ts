import type { KafkaRouterFailure } from '../errors/index.js';
import type { ParsedKafkaEvent } from '../event/parse.js';
import type { InvocationTrace } from '../trace/tracing.js';
import { timeBudget } from './budget.js';
import { type LaneReport, runLane } from './lane.js';
import { invocationLogger } from './log-adapter.js';
import type { Logger } from './logger.js';
import type { OutboundMessage } from './outbox.js';
import type { LambdaContext } from './route.js';
import type { Router } from './router.js';

/** How one invocation's records went, and what they produced. */
export interface DispatchReport {
  readonly lanes: readonly LaneReport[];
  /** Outputs and dead letters to flush, lane by lane in record order. */
  readonly messages: readonly OutboundMessage[];
  /** The first failed record of each failed lane. */
  readonly failures: readonly KafkaRouterFailure[];
  readonly totals: {
    readonly records: number;
    readonly handled: number;
    readonly deadLettered: number;
    readonly skipped: number;
    readonly failed: number;
  };
}

/** Per-invocation inputs to {@link dispatch}. */
export interface DispatchOptions {
  readonly lambda?: LambdaContext;
  readonly logger?: Logger;
  /** The invocation's trace (startInvocation); absent when tracing is off. */
  readonly trace?: InvocationTrace | undefined;
}

/**
 * Runs every lane of the event: records within a lane in offset order, lanes
 * concurrently up to `router.concurrency`. Never throws for a record's sake;
 * failures are in the report.
 */
export async function dispatch(router: Router, event: ParsedKafkaEvent, options: DispatchOptions = {}): Promise<DispatchReport> {
  const lambda = options.lambda;
  // Test harnesses and local runners may pass no context, or `{}`: then time is unlimited.
  const remaining = typeof lambda?.getRemainingTimeInMillis === 'function' ? () => lambda.getRemainingTimeInMillis() : undefined;
  const budget = timeBudget(remaining, router.reserveMs);
  const scope = {
    router,
    budget,
    lambda,
    logger: invocationLogger(options.logger ?? router.logger, {
      requestId: lambda?.awsRequestId,
      traceId: options.trace?.span.spanContext().traceId,
    }),
    remainingTimeMs: budget.remainingMs,
    trace: options.trace,
  };

  const { lanes } = event;
  const reports: LaneReport[] = new Array(lanes.length);
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) {
      const index = next++;
      reports[index] = await runLane(lanes[index] as (typeof lanes)[number], scope);
    }
  };
  await Promise.all(Array.from({ length: Math.min(router.concurrency, lanes.length) }, worker));

  const messages: OutboundMessage[] = [];
  const failures: KafkaRouterFailure[] = [];
  const totals = { records: 0, handled: 0, deadLettered: 0, skipped: 0, failed: 0 };
  for (const report of reports) {
    for (const message of report.messages) messages.push(message);
    if (report.failure) failures.push(report.failure);
    totals.records += report.records;
    totals.handled += report.handled;
    totals.deadLettered += report.deadLettered;
    totals.skipped += report.skipped;
    totals.failed += report.failed;
  }
  return { lanes: reports, messages, failures, totals };
}
