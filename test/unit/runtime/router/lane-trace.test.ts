import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { createMemoryPublisher } from '../../../../src/harness/testing/memory-publisher.js';
import { PermanentError } from '../../../../src/runtime/errors/index.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineBatchRoute, defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { lambdaContext } from '../../../support/lambda.js';
import { FAST_RETRY } from '../../../support/router.js';
import { attributesOf, captureSpans } from '../../../support/spans.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PRODUCER_SPAN = '00f067aa0ba902b7';
let capture: ReturnType<typeof captureSpans>;
beforeEach(() => {
  capture = captureSpans();
});
afterEach(() => capture.stop());

const header = (headers: ReadonlyArray<readonly [string, Buffer]>, name: string) =>
  headers.filter(([n]) => n === name).map(([, v]) => v.toString('latin1'));

describe('record spans', () => {
  it('one per record with its coordinates, route and outcome, a child of and linked to the producer, whose outputs carry it', async () => {
    const publisher = createMemoryPublisher();
    const router = createRouter({
      routes: [
        defineRoute({
          topic: 'orders',
          name: 'validate',
          retry: FAST_RETRY,
          deadLetter: true,
          publishes: [to('orders.ok')],
          handle: (value: { n: number }) => {
            if (value.n === 2) throw new PermanentError('order 2 is bad');
            return value;
          },
        }),
      ],
      unmatched: 'fail',
      logger: silentLogger,
    });
    const handler = createKafkaHandler(router, { publisher });
    const event = buildKafkaEvent([
      { topic: 'orders', key: 'k1', value: { n: 1 }, headers: { traceparent: `00-${TRACE}-${PRODUCER_SPAN}-01`, tracestate: 'v=1' } },
      { topic: 'orders', key: 'k2', value: { n: 2 }, headers: { traceparent: `00-${TRACE}-${PRODUCER_SPAN}-01` } },
      { topic: 'orders', value: null },
    ]);
    await handler(event, lambdaContext());

    const records = capture.spans().filter((s) => s.attributes['kafka_lambda_router.route'] === 'validate');
    expect(records.map((s) => [s.attributes['kafka.offset'], s.attributes['kafka_lambda_router.outcome']])).toEqual([
      [0, 'handled'],
      [1, 'dead-lettered'],
      [2, 'skipped'],
    ]);
    const [handled, deadLettered, skipped] = records;
    expect(handled?.kind).toBe(SpanKind.CONSUMER);
    expect(handled?.name).toBe('process orders');
    expect(attributesOf(handled as never)).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': 'orders',
      'messaging.destination.partition.id': '0',
      'kafka.offset': 0,
      'kafka.message.key': 'k1',
    });
    expect(handled?.spanContext().traceId).toBe(TRACE);
    expect(handled?.parentSpanContext?.spanId).toBe(PRODUCER_SPAN);
    expect(handled?.links.map((l) => l.context.spanId)).toContain(PRODUCER_SPAN);
    expect(skipped?.attributes['kafka.message.tombstone']).toBe(true);
    // No traceparent on the input: the record span is a child of the invocation span.
    const invocation = capture.spans().find((s) => s.name === 'process orders' && s.attributes['messaging.batch.message_count'] === 3);
    expect(skipped?.parentSpanContext?.spanId).toBe(invocation?.spanContext().spanId);

    expect(deadLettered?.status.code).toBe(SpanStatusCode.ERROR);
    expect(deadLettered?.attributes['error.type']).toBe('PermanentError');
    expect(deadLettered?.events.find((e) => e.name === 'dead-letter')?.attributes).toEqual({
      'messaging.destination.name': 'orders.DLT',
      'error.type': 'PermanentError',
    });

    const [output] = publisher.topic('orders.ok');
    expect(header(output?.headers ?? [], 'traceparent')).toEqual([`00-${TRACE}-${handled?.spanContext().spanId}-01`]);
    expect(header(output?.headers ?? [], 'tracestate')).toEqual(['v=1']);
    const [deadLetter] = publisher.topic('orders.DLT');
    expect(header(deadLetter?.headers ?? [], 'traceparent')).toEqual([`00-${TRACE}-${deadLettered?.spanContext().spanId}-01`]);
  });

  it('a record that fails the lane: outcome failed with the exception; later records get no span', async () => {
    const router = createRouter({
      routes: [
        defineRoute({
          topic: 't',
          retry: { attempts: 1 },
          handle: () => {
            throw new PermanentError('no');
          },
        }),
      ],
      unmatched: 'fail',
      logger: silentLogger,
    });
    const response = await createKafkaHandler(router)(
      buildKafkaEvent([
        { topic: 't', value: 1 },
        { topic: 't', value: 2 },
      ]),
      lambdaContext(),
    );
    expect(response.batchItemFailures).toHaveLength(1);
    const records = capture.spans().filter((s) => s.attributes['kafka_lambda_router.outcome'] !== undefined);
    expect(records.map((s) => s.attributes['kafka_lambda_router.outcome'])).toEqual(['failed']);
    expect(records[0]?.events.map((e) => e.name)).toEqual(['exception']);
    expect(records[0]?.attributes['error.type']).toBe('PermanentError');
  });

  it('a batch route gets a span per record, ended after the batch with each record outcome', async () => {
    const publisher = createMemoryPublisher();
    const router = createRouter({
      routes: [
        defineBatchRoute({
          topic: 'b',
          name: 'sum',
          publishes: [to('b.out')],
          handleBatch: (items) => items.map((item) => item.value),
        }),
      ],
      unmatched: 'fail',
      logger: silentLogger,
    });
    await createKafkaHandler(router, { publisher })(
      buildKafkaEvent([
        { topic: 'b', value: 1 },
        { topic: 'b', value: 2 },
      ]),
      lambdaContext(),
    );
    const records = capture.spans().filter((s) => s.attributes['kafka_lambda_router.route'] === 'sum');
    expect(records.map((s) => s.attributes['kafka_lambda_router.outcome'])).toEqual(['handled', 'handled']);
    expect(publisher.messages.map((m) => header(m.headers, 'traceparent')[0]?.split('-')[2])).toEqual(
      records.map((s) => s.spanContext().spanId),
    );
  });
});

describe('with no tracer provider', () => {
  it('records nothing and leaves the lineage traceparent as it was copied from the input', async () => {
    await capture.stop();
    const publisher = createMemoryPublisher();
    const router = createRouter({
      routes: [defineRoute({ topic: 't', publishes: [to('out')], handle: (v: unknown) => v })],
      unmatched: 'fail',
      logger: silentLogger,
    });
    await createKafkaHandler(router, { publisher })(
      buildKafkaEvent([{ topic: 't', value: 1, headers: { traceparent: `00-${TRACE}-${PRODUCER_SPAN}-01` } }]),
      lambdaContext(),
    );
    expect(header(publisher.messages[0]?.headers ?? [], 'traceparent')).toEqual([`00-${TRACE}-${PRODUCER_SPAN}-01`]);
    expect(capture.spans()).toEqual([]);
    capture = captureSpans();
  });
});
