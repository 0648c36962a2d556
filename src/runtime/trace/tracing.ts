import { type Context, context, type Link, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { ParsedKafkaEvent } from '../event/parse.js';
import type { KafkaRecord } from '../event/record.js';
import { type RecordOutcome, ROUTER_ATTRIBUTES, SEMCONV } from './attributes.js';
import { producerContext, producerLink, remoteParent } from './propagation.js';

const TRACER_NAME = 'kafka-lambda-router';
// The invocation span links to at most this many producers (the SDK's default span link limit).
const MAX_INVOCATION_LINKS = 128;

/** An invocation being traced: its tracer, its span and the context that has that span active. */
export interface InvocationTrace {
  readonly tracer: Tracer;
  readonly span: Span;
  readonly context: Context;
}

/** What the invocation span can say beyond the event itself. */
export interface InvocationTraceOptions {
  /** The event source mapping's consumer group, when known (Lambda's event does not carry it). */
  readonly consumerGroup?: string | undefined;
}

/**
 * Starts the invocation's span, or returns undefined when nothing records it
 * (no provider registered, or not sampled): then the router creates no record
 * spans at all, so tracing that is off costs one non-recording span per
 * invocation and a property check per record.
 */
export function startInvocation(event: ParsedKafkaEvent, options: InvocationTraceOptions = {}): InvocationTrace | undefined {
  const tracer = trace.getTracer(TRACER_NAME);
  const parent = context.active();
  const topics = [...new Set(event.lanes.map((lane) => lane.topic))];
  const span = tracer.startSpan(
    topics.length === 1 ? `process ${topics[0]}` : 'process',
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [SEMCONV.messagingSystem]: 'kafka',
        [SEMCONV.operationType]: 'process',
        [SEMCONV.operationName]: 'process',
        [SEMCONV.batchMessageCount]: event.recordCount,
        [SEMCONV.faasTrigger]: 'pubsub',
        [ROUTER_ATTRIBUTES.topics]: topics,
        ...(topics.length === 1 ? { [SEMCONV.destinationName]: topics[0] } : {}),
        ...(options.consumerGroup ? { [SEMCONV.consumerGroupName]: options.consumerGroup } : {}),
        ...(event.eventSourceArn ? { [ROUTER_ATTRIBUTES.eventSourceArn]: event.eventSourceArn } : {}),
      },
    },
    parent,
  );
  if (!span.isRecording()) {
    span.end();
    return undefined;
  }
  // Links are read only now, once the span records: with tracing off no record's headers are touched.
  const links: Link[] = [];
  for (const lane of event.lanes) {
    for (const record of lane.records) {
      if (links.length >= MAX_INVOCATION_LINKS) break;
      const producer = producerContext(record);
      if (producer) links.push(producerLink(producer));
    }
  }
  if (links.length > 0) span.addLinks(links);
  return { tracer, span, context: trace.setSpan(parent, span) };
}

/** Ends the invocation span; an error thrown out of the invocation (a failed flush) marks it. */
export function endInvocation(invocation: InvocationTrace, error?: unknown): void {
  if (error !== undefined) recordError(invocation.span, error);
  invocation.span.end();
}

/**
 * Starts a record's processing span. Its parent is the producer's span when
 * the record carries a `traceparent`, so one record's path through several
 * functions is one trace; it also links to the producer (as the conventions
 * advise for consumers) and to the invocation it ran in.
 */
export function startRecordSpan(invocation: InvocationTrace, route: string, record: KafkaRecord): Span {
  const producer = producerContext(record);
  const links: Link[] = [{ context: invocation.span.spanContext() }];
  if (producer) links.push(producerLink(producer));
  const attributes: Record<string, string | number | boolean> = {
    [SEMCONV.messagingSystem]: 'kafka',
    [SEMCONV.operationType]: 'process',
    [SEMCONV.operationName]: 'process',
    [SEMCONV.destinationName]: record.topic,
    [SEMCONV.partitionId]: String(record.partition),
    [SEMCONV.kafkaOffset]: record.offset,
    [ROUTER_ATTRIBUTES.route]: route,
  };
  const key = stringKey(record);
  if (key !== undefined) attributes[SEMCONV.kafkaMessageKey] = key;
  if (isTombstone(record)) attributes[SEMCONV.kafkaTombstone] = true;
  return invocation.tracer.startSpan(
    `process ${record.topic}`,
    { kind: SpanKind.CONSUMER, links, attributes },
    producer ? remoteParent(invocation.context, producer) : invocation.context,
  );
}

/** Ends a record span with what became of the record; a dead-lettered or failed record's error is recorded on it. */
export function endRecordSpan(span: Span, outcome: RecordOutcome, error?: unknown): void {
  span.setAttribute(ROUTER_ATTRIBUTES.outcome, outcome);
  if (error !== undefined && (outcome === 'dead-lettered' || outcome === 'failed')) recordError(span, error);
  span.end();
}

/**
 * Runs a flush inside its `send` span: the message count and the topics it
 * went to, and the error if it failed.
 */
export async function traceFlush<T>(
  invocation: InvocationTrace,
  messages: ReadonlyArray<{ readonly topic: string }>,
  flush: () => Promise<T>,
): Promise<T> {
  const topics = [...new Set(messages.map((message) => message.topic))];
  const span = invocation.tracer.startSpan(
    topics.length === 1 ? `send ${topics[0]}` : 'send',
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [SEMCONV.messagingSystem]: 'kafka',
        [SEMCONV.operationType]: 'send',
        [SEMCONV.operationName]: 'send',
        [SEMCONV.batchMessageCount]: messages.length,
        [ROUTER_ATTRIBUTES.topics]: topics,
        ...(topics.length === 1 ? { [SEMCONV.destinationName]: topics[0] } : {}),
      },
    },
    invocation.context,
  );
  try {
    return await context.with(trace.setSpan(invocation.context, span), flush);
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function recordError(span: Span, error: unknown): void {
  const name = error instanceof Error ? error.name : 'NonErrorThrown';
  span.setAttribute(SEMCONV.errorType, name);
  // Error messages of the router's family never carry key or value bytes.
  span.recordException(error instanceof Error ? error : { name, message: `non-Error thrown: ${typeof error}` });
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : name });
}

function stringKey(record: KafkaRecord): string | undefined {
  try {
    return record.key ?? undefined;
  } catch {
    // A key that did not decode is the record's defect; the span names it by coordinates only.
    return undefined;
  }
}

function isTombstone(record: KafkaRecord): boolean {
  try {
    return record.isTombstone;
  } catch {
    return false;
  }
}
