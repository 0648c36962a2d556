import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { createMemoryPublisher } from '../../../../src/harness/testing/memory-publisher.js';
import { PublishError } from '../../../../src/runtime/errors/index.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { startInvocation } from '../../../../src/runtime/trace/tracing.js';
import { lambdaContext } from '../../../support/lambda.js';
import { captureSpans } from '../../../support/spans.js';

let capture: ReturnType<typeof captureSpans>;
beforeEach(() => {
  capture = captureSpans();
});
afterEach(() => capture.stop());

const router = () =>
  createRouter({
    routes: [defineRoute({ topic: 'in', publishes: [to('out'), to('audit')], handle: (v: unknown) => v })],
    unmatched: 'fail',
    logger: silentLogger,
  });
const ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/shop/abc';

describe('the invocation span', () => {
  it('is a consumer span over the batch with the producers linked, and the flush is a send span under it', async () => {
    const event = buildKafkaEvent(
      [
        { topic: 'in', value: 1, headers: { traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` } },
        { topic: 'in', partition: 1, value: 2 },
      ],
      { clusterArn: ARN },
    );
    await createKafkaHandler(router(), { publisher: createMemoryPublisher(), consumerGroup: 'shop-group' })(event, lambdaContext());
    const invocation = capture.spans().find((s) => s.attributes['messaging.batch.message_count'] === 2 && s.kind === SpanKind.CONSUMER);
    expect(invocation?.name).toBe('process in');
    expect(invocation?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'in',
      'messaging.consumer.group.name': 'shop-group',
      'faas.trigger': 'pubsub',
      'kafka_lambda_router.event_source_arn': ARN,
    });
    expect(invocation?.links.map((l) => l.context.spanId)).toEqual(['2'.repeat(16)]);

    const flush = capture.spans().find((s) => s.kind === SpanKind.PRODUCER);
    expect(flush?.name).toBe('send');
    expect(flush?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.batch.message_count': 4,
      'kafka_lambda_router.topics': ['out', 'audit'],
    });
    expect(flush?.parentSpanContext?.spanId).toBe(invocation?.spanContext().spanId);
  });

  it('a failed flush marks the send span and the invocation span with the error', async () => {
    const publisher = createMemoryPublisher({ fail: () => new PublishError('broker said no') });
    await expect(
      createKafkaHandler(router(), { publisher })(buildKafkaEvent([{ topic: 'in', value: 1 }]), lambdaContext()),
    ).rejects.toThrow(PublishError);
    const flush = capture.spans().find((s) => s.kind === SpanKind.PRODUCER);
    const invocation = capture.spans().find((s) => s.attributes['messaging.batch.message_count'] === 1 && s.kind === SpanKind.CONSUMER);
    for (const span of [flush, invocation]) {
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.attributes['error.type']).toBe('PublishError');
    }
  });

  it('is not started at all without a provider: startInvocation returns undefined', async () => {
    await capture.stop();
    expect(startInvocation(parseKafkaEvent(buildKafkaEvent([{ topic: 'in', value: 1 }])))).toBeUndefined();
    capture = captureSpans();
  });
});
