import { TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import type { InboundRecord } from '../../../../src/runtime/event/record.js';
import { formatTraceparent, producerContext, withTraceContext } from '../../../../src/runtime/trace/propagation.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

function recordWith(headers: Record<string, string>): InboundRecord {
  const event = parseKafkaEvent(buildKafkaEvent([{ topic: 't', value: 'v', headers }]));
  return event.lanes[0]?.records[0] as InboundRecord;
}

describe('producerContext', () => {
  it('reads a W3C traceparent and tracestate as a remote span context', () => {
    const context = producerContext(recordWith({ traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa' }));
    expect(context).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(context?.traceState?.get('rojo')).toBe('00f067aa');
  });

  it.each([
    ['no header', {}],
    ['garbage', { traceparent: 'not-a-traceparent' }],
    ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${SPAN}-01` }],
    ['an all-zero span id', { traceparent: `00-${TRACE}-${'0'.repeat(16)}-01` }],
    ['the forbidden version ff', { traceparent: `ff-${TRACE}-${SPAN}-01` }],
    ['upper-case hex', { traceparent: `00-${TRACE.toUpperCase()}-${SPAN}-01` }],
  ])('gives nothing for %s', (_name, headers) => {
    expect(producerContext(recordWith(headers))).toBeUndefined();
  });

  it('keeps an unsampled flag unsampled', () => {
    expect(producerContext(recordWith({ traceparent: `00-${TRACE}-${SPAN}-00` }))?.traceFlags).toBe(TraceFlags.NONE);
  });
});

describe('withTraceContext', () => {
  it('replaces the copied traceparent and tracestate with the span context, keeping every other header in order', () => {
    const message = {
      topic: 'out',
      headers: [
        ['a', Buffer.from('1')],
        ['traceparent', Buffer.from(`00-${TRACE}-${SPAN}-01`)],
        ['tracestate', Buffer.from('old=1')],
        ['b', Buffer.from('2')],
      ] as Array<readonly [string, Buffer]>,
    };
    const context = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED };
    const [out] = withTraceContext([message], context);
    expect(out?.topic).toBe('out');
    expect(out?.headers.map(([name, value]) => [name, value.toString()])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['traceparent', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`],
    ]);
    expect(message.headers).toHaveLength(4);
  });

  it('formats version 00 with the sampled flag only', () => {
    expect(formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 0xff })).toBe(`00-${TRACE}-${SPAN}-01`);
  });
});
