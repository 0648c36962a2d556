import { context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { InboundRecord } from '../event/record.js';
import { type RecordOutcome, SEMCONV } from '../trace/attributes.js';
import { withTraceContext } from '../trace/propagation.js';
import { endRecordSpan, type InvocationTrace, startRecordSpan } from '../trace/tracing.js';
import { DLT_HEADERS } from './dead-letter.js';
import type { LaneRun } from './lane-failure.js';
import { DEAD_LETTERED, HANDLED, SKIPPED } from './lane-tally.js';
import type { OutboundMessage } from './outbox.js';

/**
 * One record of a record lane inside its span: the handler runs with the span
 * active (its own spans become children), and the record's outputs and dead
 * letter carry the span as their `traceparent`. Only called when tracing is on.
 */
export function runTracedRecord(
  invocation: InvocationTrace,
  run: LaneRun,
  route: string,
  index: number,
  record: InboundRecord,
  body: () => boolean | Promise<boolean>,
): boolean | Promise<boolean> {
  const span = startRecordSpan(invocation, route, record);
  let next: boolean | Promise<boolean>;
  try {
    next = context.with(trace.setSpan(context.active(), span), body);
  } catch (error) {
    endRecordSpan(span, 'failed', error);
    throw error;
  }
  if (next instanceof Promise) {
    return next.then(
      (goOn) => {
        finishRecordSpan(span, run, index);
        return goOn;
      },
      (error: unknown) => {
        endRecordSpan(span, 'failed', error);
        throw error;
      },
    );
  }
  finishRecordSpan(span, run, index);
  return next;
}

/**
 * A whole lane (a batch route's, or an unmatched topic's) with a span per
 * record, started before and ended after `body`, which handles them together.
 */
export async function runTracedLane(
  invocation: InvocationTrace,
  run: LaneRun,
  route: string,
  body: () => void | Promise<void>,
): Promise<void> {
  const spans = run.lane.records.map((record) => startRecordSpan(invocation, route, record));
  try {
    await body();
  } finally {
    for (let i = 0; i < spans.length; i++) finishRecordSpan(spans[i] as Span, run, i);
  }
}

/** Ends a record's span with its disposition from the tally, and moves its messages onto the span's trace context. */
function finishRecordSpan(span: Span, run: LaneRun, index: number): void {
  const { tally } = run;
  const messages = tally.messages[index];
  if (messages) tally.messages[index] = withTraceContext(messages, span.spanContext());
  const outcome = outcomeOf(run, index);
  if (outcome === 'dead-lettered') describeDeadLetter(span, messages);
  endRecordSpan(span, outcome, index === tally.failedFrom ? tally.failure?.error : undefined);
}

// The dead letter already names the error (Spring's exception headers): the span says the same, and where it went.
function describeDeadLetter(span: Span, messages: readonly OutboundMessage[] | undefined): void {
  const deadLetter = messages?.find((message) => message.kind === 'dead-letter');
  if (!deadLetter) return;
  const header = (name: string) => deadLetter.headers.find((h) => h[0] === name)?.[1].toString('utf8');
  const errorType = header(DLT_HEADERS.exceptionFqcn) ?? 'Error';
  span.setAttribute(SEMCONV.errorType, errorType);
  span.addEvent('dead-letter', { [SEMCONV.destinationName]: deadLetter.topic, [SEMCONV.errorType]: errorType });
  span.setStatus({ code: SpanStatusCode.ERROR, message: header(DLT_HEADERS.exceptionMessage) ?? errorType });
}

function outcomeOf({ tally }: LaneRun, index: number): RecordOutcome {
  if (index >= tally.failedFrom) return 'failed';
  const disposition = tally.dispositions[index];
  if (disposition === HANDLED) return 'handled';
  if (disposition === DEAD_LETTERED) return 'dead-lettered';
  if (disposition === SKIPPED) return 'skipped';
  // Not settled yet (a router bug the lane turns into a failure afterwards).
  return 'failed';
}
