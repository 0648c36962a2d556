import { describe, expect, it } from 'vitest';
import type { EventMessage } from '../../../../src/harness/testing/build-event.js';
import { createMemoryPublisher } from '../../../../src/harness/testing/memory-publisher.js';
import { BatchFailedError, ConfigError, InvalidEventError, PermanentError, PublishError } from '../../../../src/runtime/errors/index.js';
import { createKafkaHandler, type KafkaHandlerOptions, routerOf } from '../../../../src/runtime/lambda/handler.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { mutableEvent } from '../../../support/events.js';
import { lambdaContext } from '../../../support/lambda.js';
import { recordingLogger } from '../../../support/router.js';

const failing = new Set(['orders-0@1', 'orders-2@5', 'payments-1@0']);
const route = (topic: string) =>
  defineRoute({
    topic,
    retry: { attempts: 1 },
    publishes: [to(`${topic}.out`)],
    handle: (value: unknown, ctx) => {
      if (failing.has(`${ctx.record.lane}@${ctx.record.offset}`)) throw new PermanentError('fails on purpose');
      return value;
    },
  });
const router = createRouter({ routes: [route('orders'), route('payments')], unmatched: 'fail', logger: silentLogger });
const invoke = (messages: EventMessage[], options: KafkaHandlerOptions = {}) => {
  const publisher = createMemoryPublisher();
  const handler = createKafkaHandler(router, { publisher, ...options });
  return { publisher, result: handler(mutableEvent(messages) as never, lambdaContext()) };
};

describe('createKafkaHandler', () => {
  it('answers an all-good batch with an empty batchItemFailures list, after one flush', async () => {
    const { publisher, result } = invoke([
      { topic: 'orders', value: 1 },
      { topic: 'payments', partition: 3, value: 2 },
    ]);
    expect(JSON.stringify(await result)).toBe('{"batchItemFailures":[]}');
    expect(publisher.flushes).toBe(1);
    expect(publisher.messages.map((m) => m.topic).sort()).toEqual(['orders.out', 'payments.out']);
  });

  it('returns exactly the first failed offset of each failed partition, in AWS’s format', async () => {
    const messages: EventMessage[] = [
      ...[0, 1, 2, 3].map((offset) => ({ topic: 'orders', partition: 0, offset, value: offset })),
      ...[4, 5, 6].map((offset) => ({ topic: 'orders', partition: 2, offset, value: offset })),
      { topic: 'orders', partition: 7, offset: 0, value: 0 },
      { topic: 'payments', partition: 1, offset: 0, value: 0 },
    ];
    const { publisher, result } = invoke(messages);
    expect(JSON.stringify(await result)).toBe(
      JSON.stringify({
        batchItemFailures: [
          { itemIdentifier: { partition: 'orders-0', offset: 1 } },
          { itemIdentifier: { partition: 'orders-2', offset: 5 } },
          { itemIdentifier: { partition: 'payments-1', offset: 0 } },
        ],
      }),
    );
    // Outputs of records before each failure were flushed; none from or after it.
    expect(publisher.messages.map((m) => `${m.source.topic}-${m.source.partition}@${m.source.offset}`).sort()).toEqual([
      'orders-0@0',
      'orders-2@4',
      'orders-7@0',
    ]);
  });

  it('throws BatchFailedError instead when partial batch responses are off', async () => {
    const { result } = invoke([{ topic: 'orders', offset: 1, value: 1 }], { partialBatchResponse: false });
    await expect(result).rejects.toBeInstanceOf(BatchFailedError);
    await expect(result).rejects.toThrow(/1 partition\(s\) failed.*orders-0@1/);
  });

  it('fails the invocation with PublishError when the flush fails (so Lambda retries)', async () => {
    const publisher = createMemoryPublisher({ fail: () => new Error('broker unreachable') });
    const handler = createKafkaHandler(router, { publisher });
    await expect(handler(mutableEvent([{ topic: 'orders', value: 1 }]) as never, lambdaContext())).rejects.toThrow(PublishError);
  });

  it('throws InvalidEventError for a malformed event', async () => {
    const handler = createKafkaHandler(router, { publisher: createMemoryPublisher() });
    await expect(handler({ eventSource: 'aws:kafka' } as never, lambdaContext())).rejects.toBeInstanceOf(InvalidEventError);
  });

  it('refuses to build without a publisher when routes publish', () => {
    expect(() => createKafkaHandler(router)).toThrow(ConfigError);
    expect(() => createKafkaHandler(router)).toThrow('Some routes publish or dead-letter, but createKafkaHandler got no publisher');
  });

  it('wraps any other flush failure in PublishError, counting the messages and keeping the cause', async () => {
    const cause = new Error('broker unreachable');
    const handler = createKafkaHandler(router, { publisher: createMemoryPublisher({ fail: () => cause }) });
    const error = await handler(
      mutableEvent([
        { topic: 'orders', partition: 5, value: 1 },
        { topic: 'orders', partition: 5, value: 2 },
      ]) as never,
      lambdaContext(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).message).toBe('Flushing 2 message(s) failed: Error: broker unreachable');
    expect((error as PublishError).cause).toBe(cause);
    const own = new PublishError('already typed');
    const passing = createKafkaHandler(router, { publisher: createMemoryPublisher({ fail: () => own }) });
    await expect(passing(mutableEvent([{ topic: 'orders', value: 1 }]) as never, lambdaContext())).rejects.toBe(own);
  });

  it('tells the publisher where the event came from: its bootstrap servers and cluster ARN', async () => {
    const seen: unknown[] = [];
    const publisher = { publish: async (_messages: unknown, invocation: unknown) => void seen.push(invocation) };
    const handler = createKafkaHandler(router, { publisher });
    const event = mutableEvent([{ topic: 'orders', value: 1 }], {
      clusterArn: 'arn:aws:kafka:eu-west-1:1:cluster/c/u',
      bootstrapServers: 'b-1:9098,b-2:9098',
    });
    await handler(event as never, lambdaContext());
    expect(seen).toEqual([{ bootstrapServers: ['b-1:9098', 'b-2:9098'], eventSourceArn: 'arn:aws:kafka:eu-west-1:1:cluster/c/u' }]);
  });

  it('logs each failed partition as an error, with where Lambda redelivers from and why', async () => {
    const { logger, entries } = recordingLogger();
    const logged = createRouter({ routes: [route('orders')], unmatched: 'fail', logger });
    const handler = createKafkaHandler(logged, { publisher: createMemoryPublisher() });
    const context = lambdaContext();
    await handler(mutableEvent([{ topic: 'orders', offset: 1, value: 1 }]) as never, context);
    expect(entries).toEqual([
      {
        level: 'error',
        message: 'partition failed; Lambda will redeliver from this offset',
        attributes: { requestId: context.awsRequestId, lane: 'orders-0', at: 'orders-0@1', error: 'PermanentError: fails on purpose' },
      },
    ]);
  });

  it('answers an all-good batch normally when partial batch responses are off', async () => {
    const { result } = invoke([{ topic: 'orders', value: 1 }], { partialBatchResponse: false });
    await expect(result).resolves.toEqual({ batchItemFailures: [] });
  });

  it('lets local tools find the router behind a handler, under a registry symbol', () => {
    const handler = createKafkaHandler(router, { publisher: createMemoryPublisher() });
    expect(routerOf(handler)).toBe(router);
    // Symbol.for: another copy of the package (a bundled one, say) finds it too.
    expect((handler as unknown as Record<symbol, unknown>)[Symbol.for('kafka-lambda-router.router')]).toBe(router);
    expect([routerOf(null), routerOf({}), routerOf(() => undefined)]).toEqual([undefined, undefined, undefined]);
  });

  it('is a middy handler: middlewares see the event and the response', async () => {
    const seen: string[] = [];
    const handler = createKafkaHandler(router, { publisher: createMemoryPublisher() }).use({
      before: (request) => void seen.push(`before:${(request.event as { eventSource: string }).eventSource}`),
      after: (request) => void seen.push(`after:${JSON.stringify(request.response)}`),
    });
    await handler(mutableEvent([{ topic: 'orders', value: 1 }]) as never, lambdaContext());
    expect(seen).toEqual(['before:aws:kafka', 'after:{"batchItemFailures":[]}']);
  });
});

describe('createKafkaHandler without a usable Lambda context', () => {
  const messages: EventMessage[] = [
    { topic: 'orders', value: 1 },
    { topic: 'payments', partition: 3, value: 2 },
  ];
  const cases: Array<[string, unknown]> = [
    ['no context at all', undefined],
    ['an empty context {}', {}],
    ['a context reporting Infinity', { getRemainingTimeInMillis: () => Number.POSITIVE_INFINITY }],
    ['a context reporting more than 2^31-1 ms', { getRemainingTimeInMillis: () => 2 ** 31 + 5_000 }],
  ];

  // A handler that takes a little while: middy's early-timeout timer (which overflows above 2^31-1 ms) would fire first.
  const slow = createRouter({
    routes: ['orders', 'payments'].map((topic) =>
      defineRoute({
        topic,
        publishes: [to(`${topic}.out`)],
        handle: async (value: unknown) => new Promise((resolve) => setTimeout(() => resolve(value), 20)),
      }),
    ),
    unmatched: 'fail',
    logger: silentLogger,
  });

  it.each(cases)('handles every record with %s (unlimited time budget)', async (_name, context) => {
    const publisher = createMemoryPublisher();
    const handler = createKafkaHandler(slow, { publisher });
    const response = await (handler as unknown as (event: unknown, context: unknown) => Promise<unknown>)(mutableEvent(messages), context);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(publisher.messages).toHaveLength(2);
  });
});
