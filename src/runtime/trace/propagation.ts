import { type Context, createTraceState, type Link, type SpanContext, TraceFlags, trace } from '@opentelemetry/api';
import type { KafkaRecord } from '../event/record.js';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
// W3C Trace Context, version 00: version-traceid-parentid-flags, all lowercase hex.
const TRACEPARENT_FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE = '00000000000000000000000000000000';
const INVALID_SPAN = '0000000000000000';

/**
 * The producer's span context from a record's W3C `traceparent` (and
 * `tracestate`) headers, or undefined when it has none or a malformed one: a
 * bad header never fails a record, it only leaves the span without a link.
 */
export function producerContext(record: KafkaRecord): SpanContext | undefined {
  let header: string | undefined;
  try {
    header = record.headers.bytes(TRACEPARENT)?.toString('latin1').trim();
  } catch {
    // A record whose headers did not parse is a poison record; its span simply has no link.
    return undefined;
  }
  if (!header) return undefined;
  const match = TRACEPARENT_FORMAT.exec(header);
  if (!match || match[1] === 'ff' || match[2] === INVALID_TRACE || match[3] === INVALID_SPAN) return undefined;
  const state = record.headers.bytes(TRACESTATE)?.toString('latin1');
  return {
    traceId: match[2] as string,
    spanId: match[3] as string,
    traceFlags: Number.parseInt(match[4] as string, 16) & TraceFlags.SAMPLED,
    isRemote: true,
    ...(state ? { traceState: createTraceState(state) } : {}),
  };
}

/** What {@link withTraceContext} needs of a message: its headers. */
export interface TracedMessage {
  readonly headers: ReadonlyArray<readonly [string, Buffer]>;
}

/** A link to the producer's context. */
export function producerLink(context: SpanContext): Link {
  return { context };
}

/** `traceparent` for a span context. */
export function formatTraceparent(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-0${(context.traceFlags & TraceFlags.SAMPLED).toString(16)}`;
}

/**
 * The messages of one record carrying `context` as their `traceparent` (and
 * its `tracestate`), replacing what lineage copied from the input, so the next
 * function continues from this record's span rather than from the producer's.
 */
export function withTraceContext<M extends TracedMessage>(messages: readonly M[], context: SpanContext): M[] {
  const traceparent = Buffer.from(formatTraceparent(context), 'latin1');
  const state = context.traceState?.serialize();
  const tracestate = state ? Buffer.from(state, 'latin1') : undefined;
  return messages.map((message) => {
    const headers: Array<readonly [string, Buffer]> = [];
    for (const header of message.headers) if (header[0] !== TRACEPARENT && header[0] !== TRACESTATE) headers.push(header);
    headers.push([TRACEPARENT, traceparent]);
    if (tracestate) headers.push([TRACESTATE, tracestate]);
    return { ...message, headers };
  });
}

/** `parent` with the producer's context as the active span, for a record span's parent. */
export function remoteParent(parent: Context, producer: SpanContext): Context {
  return trace.setSpanContext(parent, producer);
}
