import { beforeEach, describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { ConfigError, PermanentError } from '../../../../src/runtime/errors/index.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import type { InboundRecord } from '../../../../src/runtime/event/record.js';
import { BatchHandlerContext, RecordHandlerContext, stageReturn } from '../../../../src/runtime/router/context.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { StagedOutputs } from '../../../../src/runtime/router/outbox.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineBatchRoute, defineRoute } from '../../../../src/runtime/router/route.js';
import { type CompiledRoute, compileRouteTable } from '../../../../src/runtime/router/table.js';

// Fixtures are built per test, not at module load: StrykerJS counts code run at load as "static" and then
// re-runs the whole suite for each of its mutants.
let first: InboundRecord;
let second: InboundRecord;
let recordRoute: CompiledRoute;
const scope = { logger: silentLogger, lambda: undefined, remainingTimeMs: () => Number.POSITIVE_INFINITY };
const compiled = (route: Parameters<typeof compileRouteTable>[0][number]) => compileRouteTable([route]).routes[0] as CompiledRoute;
beforeEach(() => {
  const records =
    parseKafkaEvent(
      buildKafkaEvent([
        { topic: 'in', key: 'a', value: 1 },
        { topic: 'in', key: 'b', value: 2 },
      ]),
    ).lanes[0]?.records ?? [];
  if (!records[0] || !records[1]) throw new Error('no records');
  [first, second] = [records[0], records[1]];
  recordRoute = compiled(
    defineRoute({ topic: 'in', name: 'r', publishes: [to('out'), to('bad', { map: () => 10n })], handle: () => undefined }),
  );
});

describe('RecordHandlerContext', () => {
  it('stages publishes as outputs of its record, keyed by it by default', () => {
    const ctx = new RecordHandlerContext(recordRoute, scope, first, 1);
    ctx.publish('out', { x: 1 });
    ctx.publish('out', { x: 2 }, { key: 'override' });
    expect(ctx.stagedMessages()?.map((m) => [m.key?.toString(), m.source, m.sequence])).toEqual([
      ['a', { topic: 'in', partition: 0, offset: 0 }, 0],
      ['override', { topic: 'in', partition: 0, offset: 0 }, 1],
    ]);
  });

  it('refuses an undeclared topic with a ConfigError', () => {
    const ctx = new RecordHandlerContext(recordRoute, scope, first, 1);
    expect(() => ctx.publish('elsewhere' as never, 1)).toThrow(ConfigError);
  });

  it('turns an encoding failure into a PermanentError (retrying cannot help)', () => {
    const ctx = new RecordHandlerContext(recordRoute, scope, first, 1);
    expect(() => ctx.publish('bad', 1)).toThrow(PermanentError);
  });
});

describe('stageReturn', () => {
  it('refuses a returned value when the route declares no publishers', () => {
    const silent = compiled(defineRoute({ topic: 'in', handle: () => undefined }));
    expect(() => stageReturn(silent, new StagedOutputs('r'), 1, first)).toThrow(ConfigError);
  });
});

describe('BatchHandlerContext', () => {
  const batchRoute = compiled(defineBatchRoute({ topic: 'in', name: 'b', publishes: [to('out')], handleBatch: () => undefined }));

  it('hands out items that publish as outputs of their own record', () => {
    const ctx = new BatchHandlerContext(batchRoute, scope, [first, second], 1);
    const items = ctx.items([1, 2]);
    items[1]?.publish('out', 'second');
    items[0]?.publish('out', 'first');
    expect(ctx.staged.messages.map((m) => [m.value?.toString(), m.key?.toString(), m.source.offset, m.sequence])).toEqual([
      ['second', 'b', 1, 0],
      ['first', 'a', 0, 0],
    ]);
  });

  it('stages one result per item and refuses any other count', () => {
    const ctx = new BatchHandlerContext(batchRoute, scope, [first, second], 1);
    ctx.stageResults(['x', undefined]);
    expect(ctx.staged.messages.map((m) => m.source.offset)).toEqual([0]);
    expect(() => ctx.stageResults(['only one'])).toThrow(ConfigError);
    expect(() => ctx.stageResults('not a list')).toThrow(ConfigError);
  });

  it('sends each returned result to every publisher, except where to(topic, { when }) declines it', () => {
    const route = compiled(
      defineBatchRoute({
        topic: 'in',
        publishes: [to('all'), to('big', { when: (n: number) => n > 1 })],
        handleBatch: () => undefined,
      }),
    );
    const ctx = new BatchHandlerContext(route, scope, [first, second], 1);
    ctx.stageResults([1, 2]);
    expect(ctx.staged.messages.map((m) => [m.topic, m.value?.toString(), m.source.offset])).toEqual([
      ['all', '1', 0],
      ['all', '2', 1],
      ['big', '2', 1],
    ]);
  });

  it('requires an explicit key for an aggregate', () => {
    const ctx = new BatchHandlerContext(batchRoute, scope, [first, second], 1);
    expect(() => ctx.publishAggregate('out', 1, {} as never)).toThrow(ConfigError);
    ctx.publishAggregate('out', 1, { key: 'total' });
    expect(ctx.staged.messages[0]).toMatchObject({ source: { offset: 1 }, sequence: 0 });
  });
});

describe('handler contexts expose the invocation and the record', () => {
  const lambda = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1234 };
  const invocation = { logger: silentLogger, lambda, remainingTimeMs: () => 1234 };

  it('a record context: logger, Lambda context, remaining time, key and headers of its record', () => {
    const ctx = new RecordHandlerContext(recordRoute, invocation, first, 2);
    expect(ctx.logger).toBe(silentLogger);
    expect(ctx.lambda).toBe(lambda);
    expect(ctx.remainingTimeMs()).toBe(1234);
    expect(ctx.key).toBe('a');
    expect(ctx.headers).toBe(first.headers);
    expect([ctx.record, ctx.attempt]).toEqual([first, 2]);
  });

  it('a batch context: the same, plus the topic and partition of its records', () => {
    const ctx = new BatchHandlerContext(
      compiled(defineBatchRoute({ topic: 'in', handleBatch: () => undefined })),
      invocation,
      [first, second],
      3,
    );
    expect([ctx.logger, ctx.lambda, ctx.remainingTimeMs(), ctx.topic, ctx.partition, ctx.attempt]).toEqual([
      silentLogger,
      lambda,
      1234,
      'in',
      0,
      3,
    ]);
  });
});

describe('handler context errors say what to do', () => {
  it('keeps the encoding failure as the cause of the PermanentError', () => {
    const ctx = new RecordHandlerContext(recordRoute, scope, first, 1);
    let error: unknown;
    try {
      ctx.publish('bad', 1);
    } catch (thrown) {
      error = thrown;
    }
    expect((error as PermanentError).message).toBe(
      "Cannot encode the output for topic 'bad' (TypeError: Do not know how to serialize a BigInt)",
    );
    expect((error as PermanentError).cause).toBeInstanceOf(TypeError);
  });

  it('names the route and the fix', () => {
    const silent = compiled(defineRoute({ topic: 'in', name: 'quiet', handle: () => undefined }));
    expect(() => stageReturn(silent, new StagedOutputs('quiet'), 1, first)).toThrow(
      "Route 'quiet' returned a value but declares no publishers; return nothing or add publishes: [to('<topic>')]",
    );
    const batch = new BatchHandlerContext(
      compiled(defineBatchRoute({ topic: 'in', name: 'b', publishes: [to('out')], handleBatch: () => undefined })),
      scope,
      [first, second],
      1,
    );
    expect(() => batch.stageResults(['one'])).toThrow(
      "Batch route 'b', partition in-0: handleBatch must return nothing or one result per item: expected 2 results, got 1; use item.publish or ctx.publishAggregate for other outputs",
    );
    expect(() => batch.stageResults(7)).toThrow(
      "Batch route 'b', partition in-0: handleBatch must return nothing or one result per item: expected 2 results, got a number;",
    );
    expect(() => batch.publishAggregate('out', 1, undefined as never)).toThrow(
      "Route 'b': publishAggregate needs an explicit key (null for none): an aggregate has no record to take it from",
    );
  });
});

describe('stageReturn', () => {
  it('encodes a result once for the publishers that neither map nor encode it, and on its own for one that maps', () => {
    const route = compiled(
      defineRoute({
        topic: 'in',
        name: 'fan',
        publishes: [to('a'), to('b'), to('c', { map: (v: { n: number }) => ({ m: v.n }) })],
        handle: () => undefined,
      }),
    );
    const staged = new StagedOutputs('fan');
    stageReturn(route, staged, { n: 1 }, first);
    const [a, b, c] = staged.messages;
    expect([a?.value?.toString(), b?.value?.toString(), c?.value?.toString()]).toEqual(['{"n":1}', '{"n":1}', '{"m":1}']);
    // One buffer shared by the plain publishers (kafkajs only reads it), not one JSON.stringify each.
    expect(a?.value).toBe(b?.value);
  });
});
