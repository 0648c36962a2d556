import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { EventMessage } from '../../../../src/harness/testing/build-event.js';
import { TimeBudgetError } from '../../../../src/runtime/errors/index.js';
import { defineBatchRoute, defineRoute, PermanentError, text as textCodec, to } from '../../../../src/runtime/index.js';
import type { OutboundMessage } from '../../../../src/runtime/router/outbox.js';
import { mutableEvent, recordOf } from '../../../support/events.js';
import { lambdaContext } from '../../../support/lambda.js';
import { accounted, recordingLogger, run } from '../../../support/router.js';

const text = (value: Buffer | null | undefined) => value?.toString('utf8') ?? null;
const header = (message: OutboundMessage, name: string) => text(message.headers.find(([n]) => n === name)?.[1]);
const lineage = (message: OutboundMessage) => ({
  topic: message.topic,
  key: text(message.key),
  value: text(message.value),
  sourceOffset: header(message, 'x-source-offset'),
  sourcePartition: header(message, 'x-source-partition'),
  messageId: header(message, 'x-message-id'),
  traceparent: header(message, 'traceparent'),
});

describe('batch routes: every output belongs to one input record', () => {
  const echo = defineBatchRoute({
    name: 'echo',
    topic: 'in',
    schema: z.object({ n: z.number() }),
    publishes: [to('out')],
    handleBatch: (items) => items.map(({ value }) => ({ doubled: value.n * 2 })),
  });

  it('keys each returned result by its own record (per-key order survives), not by the batch’s last record', async () => {
    const report = await run({ routes: [echo] }, [
      { topic: 'in', key: 'alice', value: { n: 1 } },
      { topic: 'in', key: 'bob', value: { n: 2 } },
      { topic: 'in', key: 'carol', value: { n: 3 } },
    ]);
    expect(report.messages.map((m) => [text(m.key), header(m, 'x-source-offset'), text(m.value)])).toEqual([
      ['alice', '0', '{"doubled":2}'],
      ['bob', '1', '{"doubled":4}'],
      ['carol', '2', '{"doubled":6}'],
    ]);
  });

  it('gives a batch output the same id, key and lineage as a record route would for that record', async () => {
    const single = defineRoute({
      name: 'echo',
      topic: 'in',
      schema: z.object({ n: z.number() }),
      publishes: [to('out')],
      handle: (value) => ({ doubled: value.n * 2 }),
    });
    const messages: EventMessage[] = [1, 2, 3].map((n) => ({
      topic: 'in',
      key: `k${n}`,
      value: { n },
      headers: { traceparent: `tp-${n}` },
    }));
    const batch = await run({ routes: [echo] }, messages);
    const record = await run({ routes: [single] }, messages);
    expect(batch.messages.map(lineage)).toEqual(record.messages.map(lineage));
  });

  it('numbers several outputs of one record by their order, whatever the batch', async () => {
    const fanOut = defineBatchRoute({
      name: 'fan',
      topic: 'in',
      codec: textCodec,
      publishes: [to('out')],
      handleBatch: (items) => {
        for (const item of items) for (let i = 0; i < 2; i++) item.publish('out', `${String(item.value)}-${i}`);
      },
    });
    const report = await run({ routes: [fanOut] }, [
      { topic: 'in', key: 'a', value: 'x' },
      { topic: 'in', key: 'b', value: 'y' },
    ]);
    expect(report.messages.map((m) => [text(m.key), m.source.offset, m.sequence])).toEqual([
      ['a', 0, 0],
      ['a', 0, 1],
      ['b', 1, 0],
      ['b', 1, 1],
    ]);
  });

  it('keeps each record’s key, lineage and message id under any bisect split of the batch (property)', async () => {
    const route = defineBatchRoute({
      name: 'split',
      topic: 'in',
      schema: z.object({ n: z.number(), outputs: z.number() }),
      publishes: [to('out'), to('audit')],
      handleBatch: (items, ctx) => {
        for (const item of items) for (let i = 1; i < item.value.outputs; i++) item.publish('audit', { n: item.value.n, i });
        return items.map((item) => (item.value.outputs > 0 ? { n: item.value.n, attempt: ctx.attempt } : undefined));
      },
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('alice', 'bob', 'carol', null), outputs: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.nat(),
        fc.integer({ min: 0, max: 1000 }),
        async (specs, cut, firstOffset) => {
          const messages: EventMessage[] = specs.map((spec, n) => ({
            topic: 'in',
            offset: firstOffset + n,
            key: spec.key,
            value: { n, outputs: spec.outputs },
            headers: { traceparent: `00-trace-${n}` },
          }));
          const whole = await run({ routes: [route] }, messages);
          const at = cut % (messages.length + 1);
          const halves = [await run({ routes: [route] }, messages.slice(0, at)), await run({ routes: [route] }, messages.slice(at))];
          const split = halves.flatMap((half) => half.messages);
          expect(split.map(lineage)).toEqual(whole.messages.map(lineage));
          // The default key is the record's own key.
          for (const message of whole.messages) {
            const source = specs[message.source.offset - firstOffset];
            expect(text(message.key)).toBe(source?.key ?? null);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a result list that does not match the items, as a permanent error of the batch', async () => {
    const wrong = defineBatchRoute({ topic: 'in', publishes: [to('out')], deadLetter: true, handleBatch: () => [1] });
    const report = await run({ routes: [wrong] }, [
      { topic: 'in', value: 1 },
      { topic: 'in', value: 2 },
    ]);
    expect(report.messages.map((m) => [m.kind, m.topic, header(m, 'kafka_dlt-exception-fqcn')])).toEqual([
      ['dead-letter', 'in.DLT', 'ConfigError'],
      ['dead-letter', 'in.DLT', 'ConfigError'],
    ]);
  });

  it('gives an aggregate the same id for the same records, and a different one for another split', async () => {
    const sum = defineBatchRoute({
      name: 'sum',
      topic: 'in',
      publishes: [to('sums')],
      handleBatch: (items, ctx) => ctx.publishAggregate('sums', items.length, { key: null }),
    });
    const messages: EventMessage[] = [1, 2, 3].map((n) => ({ topic: 'in', value: n }));
    const first = await run({ routes: [sum] }, messages);
    const again = await run({ routes: [sum] }, messages);
    const part = await run({ routes: [sum] }, messages.slice(0, 2));
    const id = (report: typeof first) => report.messages.map((m) => header(m, 'x-message-id'));
    expect(id(again)).toEqual(id(first));
    expect(id(part)).not.toEqual(id(first));
    expect(first.messages[0]?.key).toBeNull();
  });
});

describe('batch routes: tombstones', () => {
  const calls: string[] = [];
  const route = (failOn?: string) =>
    defineBatchRoute({
      topic: 'in',
      codec: textCodec,
      publishes: [to('out')],
      handleBatch: (items) => {
        const offsets = items.map((i) => i.record.offset).join(',');
        calls.push(`batch ${offsets}`);
        if (failOn === `batch ${offsets}`) throw new PermanentError('no');
        return items.map((i) => i.value);
      },
      onTombstone: (record, ctx) => {
        calls.push(`tombstone ${record.offset}`);
        if (failOn === `tombstone ${record.offset}`) throw new PermanentError('no');
        ctx.publish('out', `deleted ${record.key}`);
      },
    });
  const lane: EventMessage[] = [
    { topic: 'in', key: 'a', value: 'v0' },
    { topic: 'in', key: 'b', value: 'v1' },
    { topic: 'in', key: 'a', value: null },
    { topic: 'in', key: 'c', value: 'v3' },
    { topic: 'in', key: 'd', value: null },
  ];

  it('sends tombstones to onTombstone in offset order, splitting the batch so effects keep offset order', async () => {
    calls.length = 0;
    const report = await run({ routes: [route()] }, lane);
    expect(calls).toEqual(['batch 0,1', 'tombstone 2', 'batch 3', 'tombstone 4']);
    expect(report.messages.map((m) => [m.source.offset, text(m.value)])).toEqual([
      [0, 'v0'],
      [1, 'v1'],
      [2, 'deleted a'],
      [3, 'v3'],
      [4, 'deleted d'],
    ]);
    expect(report.totals.handled).toBe(5);
  });

  it('fails the lane at a failing tombstone, keeping earlier outputs and running nothing after it', async () => {
    calls.length = 0;
    const report = await run({ routes: [route('tombstone 2')] }, lane);
    expect(calls).toEqual(['batch 0,1', 'tombstone 2']);
    expect(report.failures.map((f) => f.at.offset)).toEqual([2]);
    expect(report.messages.map((m) => m.source.offset)).toEqual([0, 1]);
    expect(report.lanes[0]).toMatchObject({ handled: 2, failed: 3 });
  });

  it('fails the lane at the first record of a failing batch after a tombstone', async () => {
    calls.length = 0;
    const report = await run({ routes: [route('batch 3')] }, lane);
    expect(report.failures.map((f) => f.at.offset)).toEqual([3]);
    expect(report.messages.map((m) => m.source.offset)).toEqual([0, 1, 2]);
    expect(accounted(report)).toBe(true);
  });
});

describe('batch routes: dead letters', () => {
  it('publishes a lane’s dead letters in offset order when decoding and the batch both fail', async () => {
    const route = defineBatchRoute({
      topic: 'in',
      schema: z.object({ n: z.number() }),
      deadLetter: true,
      handleBatch: () => {
        throw new PermanentError('batch rejected');
      },
    });
    const report = await run({ routes: [route] }, [
      { topic: 'in', value: { n: 0 } },
      { topic: 'in', value: { n: 'not a number' } },
      { topic: 'in', value: { n: 2 } },
      { topic: 'in', value: { n: 3 } },
    ]);
    expect(report.messages.map((m) => [m.kind, m.source.offset, header(m, 'kafka_dlt-exception-fqcn')])).toEqual([
      ['dead-letter', 0, 'PermanentError'],
      ['dead-letter', 1, 'SchemaValidationError'],
      ['dead-letter', 2, 'PermanentError'],
      ['dead-letter', 3, 'PermanentError'],
    ]);
  });
});

describe('batch routes: decoding, time and logs', () => {
  it('awaits an asynchronous schema: items carry validated values, not promises', async () => {
    const seen: unknown[] = [];
    const asyncSchema = z.pipe(
      z.object({ n: z.number() }),
      z.transform(async (value) => value.n * 10),
    );
    const route = defineBatchRoute({ topic: 'in', schema: asyncSchema, handleBatch: (items) => void seen.push(items.map((i) => i.value)) });
    await run(
      { routes: [route] },
      [1, 2].map((n) => ({ topic: 'in', value: { n } })),
    );
    expect(seen).toEqual([[10, 20]]);
  });

  it('never hands a malformed record to the batch, even when its value decodes', async () => {
    const event = mutableEvent([1, 2, 3].map((n) => ({ topic: 'in', value: { n } })));
    recordOf(event, 'in-0', 1).headers = 'not a list';
    const seen: number[][] = [];
    const route = defineBatchRoute({
      topic: 'in',
      deadLetter: true,
      handleBatch: (items) => void seen.push(items.map((i) => i.record.offset)),
    });
    const report = await run({ routes: [route] }, event);
    expect(seen).toEqual([[0, 2]]);
    expect(report.messages.map((m) => [m.kind, m.source.offset, header(m, 'kafka_dlt-exception-fqcn')])).toEqual([
      ['dead-letter', 1, 'InvalidEventError'],
    ]);
  });

  it('handles a lane that starts with a tombstone, and the records after it', async () => {
    const calls: string[] = [];
    const route = defineBatchRoute({
      topic: 'in',
      codec: textCodec,
      handleBatch: (items) => void calls.push(`batch ${items.map((i) => i.record.offset).join(',')}`),
      onTombstone: (record) => void calls.push(`tombstone ${record.offset}`),
    });
    const report = await run({ routes: [route] }, [
      { topic: 'in', value: null },
      { topic: 'in', value: 'a' },
      { topic: 'in', value: 'b' },
    ]);
    expect(calls).toEqual(['tombstone 0', 'batch 1,2']);
    expect(report.lanes[0]).toMatchObject({ handled: 3, failed: 0 });
  });

  it('goes on after a dead-lettered batch: the tombstone and the batch after it still run', async () => {
    const calls: string[] = [];
    const route = defineBatchRoute({
      topic: 'in',
      codec: textCodec,
      deadLetter: 'in.dead',
      handleBatch: (items) => {
        calls.push(`batch ${items.map((i) => i.record.offset).join(',')}`);
        if (items[0]?.record.offset === 0) throw new PermanentError('first batch rejected');
      },
      onTombstone: (record) => void calls.push(`tombstone ${record.offset}`),
    });
    const report = await run({ routes: [route] }, [
      { topic: 'in', value: 'a' },
      { topic: 'in', value: null },
      { topic: 'in', value: 'c' },
    ]);
    expect(calls).toEqual(['batch 0', 'tombstone 1', 'batch 2']);
    expect(report.lanes[0]).toMatchObject({ deadLettered: 1, handled: 2, failed: 0 });
  });

  it('does not start a batch without time for it: the lane fails at the batch’s first record', async () => {
    let called = false;
    const route = defineBatchRoute({
      topic: 'in',
      codec: textCodec,
      handleBatch: () => {
        called = true;
      },
    });
    const report = await run(
      { routes: [route], reserveMs: 2_000 },
      [
        { topic: 'in', value: 'a' },
        { topic: 'in', value: 'b' },
      ],
      lambdaContext({ remainingMs: () => 1_500 }),
    );
    expect(called).toBe(false);
    expect(report.failures[0]?.at.offset).toBe(0);
    expect(report.failures[0]?.error).toBeInstanceOf(TimeBudgetError);
    expect((report.failures[0]?.error as Error | undefined)?.message).toBe(
      'Not started: 1500 ms left, 2000 ms are reserved for flushing (at in-0@0)',
    );
    expect(report.lanes[0]).toMatchObject({ handled: 0, failed: 2 });
  });

  it('starts nothing after a batch it refused for lack of time, even if time comes back', async () => {
    // Refused (and reported) with 1 s left; plenty afterwards.
    const remaining = [1_000, 1_000];
    let call = 0;
    const calls: string[] = [];
    const route = defineBatchRoute({
      topic: 'in',
      codec: textCodec,
      handleBatch: () => void calls.push('batch'),
      onTombstone: (record) => void calls.push(`tombstone ${record.offset}`),
    });
    const report = await run(
      { routes: [route], reserveMs: 2_000 },
      [
        { topic: 'in', value: 'a' },
        { topic: 'in', value: null },
        { topic: 'in', value: 'c' },
      ],
      lambdaContext({ remainingMs: () => remaining[call++] ?? 60_000 }),
    );
    expect(calls).toEqual([]);
    expect(report.failures[0]?.at.offset).toBe(0);
    expect(report.lanes[0]).toMatchObject({ handled: 0, failed: 3 });
  });

  it('logs each retry and a dead-lettered batch with the route, lane, sizes and error, never values', async () => {
    const { logger, entries } = recordingLogger();
    const route = defineBatchRoute({
      topic: 'in',
      name: 'sums',
      codec: textCodec,
      deadLetter: 'in.dead',
      retry: { attempts: 2, initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 },
      handleBatch: () => {
        throw new Error('downstream busy');
      },
    });
    await run({ routes: [route], logger }, [
      { topic: 'in', value: 'card=4111' },
      { topic: 'in', value: 'b' },
    ]);
    expect(entries).toEqual([
      {
        level: 'warn',
        message: 'batch handler failed; retrying',
        attributes: { route: 'sums', lane: 'in-0', attempt: 1, delayMs: 1, error: 'Error: downstream busy' },
      },
      {
        level: 'warn',
        message: 'batch dead-lettered',
        attributes: { route: 'sums', lane: 'in-0', records: 2, deadLetterTopic: 'in.dead', error: 'Error: downstream busy' },
      },
    ]);
  });
});
