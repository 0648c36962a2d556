import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DecodeError, NoRouteError, PermanentError, SchemaValidationError, TimeBudgetError } from '../../../../src/runtime/errors/index.js';
import { bytes, text } from '../../../../src/runtime/event/codec.js';
import { defineBatchRoute, defineRoute } from '../../../../src/runtime/router/route.js';
import { mutableEvent, recordOf } from '../../../support/events.js';
import { lambdaContext } from '../../../support/lambda.js';
import { accounted, run } from '../../../support/router.js';

const Order = z.object({ id: z.number(), sku: z.string() });

describe('dispatch: ordering', () => {
  it('calls each lane in offset order under any interleaving, with lanes concurrent up to the limit (property)', async () => {
    const plan = fc.record({
      lanes: fc.array(fc.record({ topic: fc.constantFrom('a', 'b', 'c'), partition: fc.integer({ min: 0, max: 5 }) }), {
        minLength: 1,
        maxLength: 8,
      }),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
      delays: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 60 }),
      concurrency: fc.integer({ min: 1, max: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(plan, async ({ lanes, picks, delays, concurrency }) => {
        const messages = picks.map((pick, n) => {
          const lane = lanes[pick % lanes.length] as (typeof lanes)[number];
          return { ...lane, value: { n } };
        });
        const calls: Array<{ lane: string; offset: number }> = [];
        let inFlight = 0;
        let maxInFlight = 0;
        const route = (topic: string) =>
          defineRoute({
            topic,
            handle: async (_value: unknown, ctx) => {
              calls.push({ lane: ctx.record.lane, offset: ctx.record.offset });
              inFlight++;
              maxInFlight = Math.max(maxInFlight, inFlight);
              // Yield a random number of times so lanes interleave differently on every run.
              for (let i = 0; i < (delays[ctx.record.offset % delays.length] ?? 0); i++) await new Promise((r) => setImmediate(r));
              inFlight--;
            },
          });
        const report = await run({ routes: [route('a'), route('b'), route('c')], concurrency }, messages);
        expect(report.totals.handled).toBe(messages.length);
        for (const id of new Set(calls.map((c) => c.lane))) {
          const offsets = calls.filter((c) => c.lane === id).map((c) => c.offset);
          expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
          expect(new Set(offsets).size).toBe(offsets.length);
        }
        // One record in flight per lane at most, so in-flight handlers never exceed the lane limit.
        expect(maxInFlight).toBeLessThanOrEqual(concurrency);
        expect(maxInFlight).toBeLessThanOrEqual(new Set(calls.map((c) => c.lane)).size);
      }),
      { numRuns: 40 },
    );
  });

  it('runs lanes in parallel (a slow partition does not hold up the others)', async () => {
    const order: string[] = [];
    const route = defineRoute({
      topic: 't',
      handle: async (_v: unknown, ctx) => {
        if (ctx.record.partition === 0) await new Promise((r) => setTimeout(r, 30));
        order.push(`${ctx.record.partition}`);
      },
    });
    await run({ routes: [route] }, [
      { topic: 't', partition: 0, value: 1 },
      { topic: 't', partition: 1, value: 1 },
      { topic: 't', partition: 1, value: 2 },
    ]);
    expect(order).toEqual(['1', '1', '0']);
  });
});

describe('dispatch: decoding and validation', () => {
  it('gives handlers schema-typed values from mixed topics and partitions', async () => {
    const seen: string[] = [];
    const orders = defineRoute({
      topic: 'orders',
      schema: Order,
      handle: (order) => {
        seen.push(`order:${order.id}:${order.sku}`);
      },
    });
    const notes = defineRoute({
      topic: 'notes',
      codec: text,
      handle: (note: string) => {
        seen.push(`note:${note}`);
      },
    });
    const report = await run({ routes: [orders, notes] }, [
      { topic: 'orders', partition: 0, value: { id: 1, sku: 'A' } },
      { topic: 'notes', partition: 3, value: 'hello' },
      { topic: 'orders', partition: 1, value: { id: 2, sku: 'B' } },
    ]);
    expect(seen.sort()).toEqual(['note:hello', 'order:1:A', 'order:2:B']);
    expect(report.totals).toMatchObject({ records: 3, handled: 3, failed: 0 });
  });

  it('validates with valibot too (any Standard Schema)', async () => {
    const route = defineRoute({ topic: 't', schema: v.object({ n: v.number() }), handle: () => undefined });
    const report = await run({ routes: [route] }, [
      { topic: 't', value: { n: 1 } },
      { topic: 't', value: { n: 'x' } },
    ]);
    expect(report.failures[0]?.error).toBeInstanceOf(SchemaValidationError);
    expect(report.failures[0]?.at.offset).toBe(1);
  });

  it('fails a lane at invalid JSON with a DecodeError and keeps its earlier records', async () => {
    const handled: number[] = [];
    const route = defineRoute({ topic: 'orders', handle: (_v: unknown, ctx) => void handled.push(ctx.record.offset) });
    const event = mutableEvent([
      { topic: 'orders', value: { ok: 1 } },
      { topic: 'orders', value: 'not json {' },
      { topic: 'orders', value: { ok: 3 } },
    ]);
    const report = await run({ routes: [route] }, event);
    expect(handled).toEqual([0]);
    const failure = report.failures[0];
    expect(failure?.at).toEqual({ topic: 'orders', partition: 0, offset: 1 });
    expect(failure?.error).toBeInstanceOf(DecodeError);
    expect(String(failure?.error)).toMatch(/Cannot decode the value: not valid json .*orders-0@1/);
    expect(report.lanes[0]).toMatchObject({ handled: 1, failed: 2 });
  });

  it('fails at invalid base64', async () => {
    const event = mutableEvent([{ topic: 'orders', value: { a: 1 } }]);
    recordOf(event, 'orders-0').value = '***';
    const report = await run({ routes: [defineRoute({ topic: 'orders', handle: () => undefined })] }, event);
    expect(report.failures[0]?.error).toMatchObject({ code: 'DECODE_FAILED', part: 'value' });
  });

  it('reports schema violations with the issue path and the record', async () => {
    const route = defineRoute({ topic: 'orders', schema: Order, handle: () => undefined });
    const report = await run({ routes: [route] }, [{ topic: 'orders', partition: 4, value: { id: 'seven', sku: 'A' } }]);
    const error = report.failures[0]?.error as SchemaValidationError;
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect(error.issues[0]?.path).toBe('id');
    expect(error.message).toMatch(/id: .*orders-4@0/);
  });

  it('hands raw bytes to a bytes route untouched', async () => {
    let received: Buffer | undefined;
    const route = defineRoute({
      topic: 'bin',
      codec: bytes,
      handle: (value: Buffer) => {
        received = value;
      },
    });
    await run({ routes: [route] }, [{ topic: 'bin', value: Buffer.from([0, 255, 1]) }]);
    expect([...(received ?? [])]).toEqual([0, 255, 1]);
  });
});

describe('dispatch: tombstones', () => {
  it('skips tombstones by default and counts them', async () => {
    const handled: number[] = [];
    const route = defineRoute({ topic: 't', handle: (_v: unknown, ctx) => void handled.push(ctx.record.offset) });
    const report = await run({ routes: [route] }, [
      { topic: 't', value: 1 },
      { topic: 't', value: null },
      { topic: 't', value: 2 },
    ]);
    expect(handled).toEqual([0, 2]);
    expect(report.totals).toMatchObject({ handled: 2, skipped: 1 });
  });

  it('hands tombstones to onTombstone in lane order', async () => {
    const calls: string[] = [];
    const route = defineRoute({
      topic: 't',
      handle: (_v: unknown, ctx) => void calls.push(`value@${ctx.record.offset}`),
      onTombstone: (record) => void calls.push(`tombstone@${record.offset}:${record.key}`),
    });
    await run({ routes: [route] }, [
      { topic: 't', key: 'k', value: 1 },
      { topic: 't', key: 'k', value: null },
      { topic: 't', key: 'k', value: 2 },
    ]);
    expect(calls).toEqual(['value@0', 'tombstone@1:k', 'value@2']);
  });
});

describe('dispatch: handler failures', () => {
  it('retries a retryable error in place and succeeds', async () => {
    let attempts = 0;
    const route = defineRoute({
      topic: 't',
      handle: (_v: unknown, ctx) => {
        attempts++;
        if (ctx.attempt < 3) throw new Error('flaky downstream');
      },
    });
    const report = await run({ routes: [route] }, [{ topic: 't', value: 1 }]);
    expect(attempts).toBe(3);
    expect(report.totals).toMatchObject({ handled: 1, failed: 0 });
  });

  it('fails the lane at the record when retries run out, and does not start later records', async () => {
    const calls: number[] = [];
    const route = defineRoute({
      topic: 't',
      handle: (_v: unknown, ctx) => {
        calls.push(ctx.record.offset);
        if (ctx.record.offset === 1) throw new Error('still broken');
      },
    });
    const report = await run(
      { routes: [route] },
      [1, 2, 3, 4].map((value) => ({ topic: 't', value })),
    );
    expect(calls).toEqual([0, 1, 1, 1]);
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]?.at.offset).toBe(1);
    expect(String(report.failures[0]?.error)).toBe('Error: still broken');
    expect(report.lanes[0]).toMatchObject({ handled: 1, failed: 3 });
  });

  it('does not retry a PermanentError', async () => {
    let attempts = 0;
    const route = defineRoute({
      topic: 't',
      handle: () => {
        attempts++;
        throw new PermanentError('bad business data');
      },
    });
    const report = await run({ routes: [route] }, [{ topic: 't', value: 1 }]);
    expect(attempts).toBe(1);
    expect(report.failures[0]?.error).toBeInstanceOf(PermanentError);
  });

  it('dead-letters a permanent failure when the route has a dead-letter topic, and the lane goes on', async () => {
    const route = defineRoute({
      topic: 'orders',
      deadLetter: true,
      handle: (value: unknown) => {
        if ((value as { poison?: boolean }).poison) throw new PermanentError('poison pill');
      },
    });
    const report = await run({ routes: [route] }, [
      { topic: 'orders', value: { ok: 1 } },
      { topic: 'orders', value: { poison: true } },
      { topic: 'orders', value: { ok: 3 } },
    ]);
    expect(report.failures).toEqual([]);
    expect(report.totals).toMatchObject({ handled: 2, deadLettered: 1 });
    expect(report.messages.map((m) => [m.topic, m.kind, m.source.offset])).toEqual([['orders.DLT', 'dead-letter', 1]]);
  });

  it('dead-letters undecodable records to a named topic', async () => {
    const route = defineRoute({ topic: 'orders', schema: Order, deadLetter: 'orders-rejects', handle: () => undefined });
    const report = await run({ routes: [route] }, [{ topic: 'orders', value: { id: 'x' } }]);
    expect(report.messages[0]).toMatchObject({ topic: 'orders-rejects', kind: 'dead-letter' });
    expect(report.totals.deadLettered).toBe(1);
  });

  it('treats a non-Error throw as a retryable failure and reports it', async () => {
    const route = defineRoute({
      topic: 't',
      handle: () => {
        throw 'a string';
      },
    });
    const report = await run({ routes: [route] }, [{ topic: 't', value: 1 }]);
    expect(report.failures[0]?.error).toBe('a string');
  });
});

describe('dispatch: unmatched topics', () => {
  const routes = [defineRoute({ topic: 'known', handle: () => undefined })];
  const messages = [
    { topic: 'known', value: 1 },
    { topic: 'stray', partition: 2, value: 1 },
    { topic: 'stray', partition: 2, value: 2 },
  ];

  it('fail: the lane fails at its first record with NoRouteError', async () => {
    const report = await run({ routes, unmatched: 'fail' }, messages);
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]?.at).toEqual({ topic: 'stray', partition: 2, offset: 0 });
    expect(report.failures[0]?.error).toBeInstanceOf(NoRouteError);
  });

  it('skip: the records are counted as skipped', async () => {
    const report = await run({ routes, unmatched: 'skip' }, messages);
    expect(report.failures).toEqual([]);
    expect(report.totals).toMatchObject({ handled: 1, skipped: 2 });
  });

  it('dead-letter: the records go to the named topic', async () => {
    const report = await run({ routes, unmatched: { deadLetter: 'unrouted' } }, messages);
    expect(report.totals).toMatchObject({ handled: 1, deadLettered: 2 });
    expect(report.messages.map((m) => [m.topic, m.source.offset])).toEqual([
      ['unrouted', 0],
      ['unrouted', 1],
    ]);
  });

  it('matches exact names before patterns', async () => {
    const hits: string[] = [];
    const report = await run(
      {
        routes: [
          defineRoute({ topic: /^orders\./, handle: (_v: unknown, ctx) => void hits.push(`pattern:${ctx.record.topic}`) }),
          defineRoute({ topic: 'orders.eu', handle: (_v: unknown, ctx) => void hits.push(`exact:${ctx.record.topic}`) }),
        ],
      },
      [
        { topic: 'orders.eu', value: 1 },
        { topic: 'orders.us', value: 1 },
      ],
    );
    expect(hits.sort()).toEqual(['exact:orders.eu', 'pattern:orders.us']);
    expect(report.totals.handled).toBe(2);
  });
});

describe('dispatch: batch routes', () => {
  it('hands a partition its decoded records as one array, in order', async () => {
    const batches: Array<{ partition: number; ids: number[] }> = [];
    const route = defineBatchRoute({
      topic: 'stock',
      schema: z.object({ id: z.number() }),
      handleBatch: (items, ctx) => void batches.push({ partition: ctx.partition, ids: items.map((i) => i.value.id) }),
    });
    const report = await run({ routes: [route] }, [
      { topic: 'stock', partition: 0, value: { id: 1 } },
      { topic: 'stock', partition: 1, value: { id: 2 } },
      { topic: 'stock', partition: 0, value: { id: 3 } },
    ]);
    expect(batches.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, ids: [1, 3] },
      { partition: 1, ids: [2] },
    ]);
    expect(report.totals.handled).toBe(3);
  });

  it('gives the batch only the records before an undecodable one, and fails the lane there', async () => {
    let ids: number[] = [];
    const route = defineBatchRoute({
      topic: 'stock',
      schema: z.object({ id: z.number() }),
      handleBatch: (items) => {
        ids = items.map((i) => i.value.id);
      },
    });
    const report = await run({ routes: [route] }, [
      { topic: 'stock', value: { id: 1 } },
      { topic: 'stock', value: { id: 2 } },
      { topic: 'stock', value: { id: 'bad' } },
      { topic: 'stock', value: { id: 4 } },
    ]);
    expect(ids).toEqual([1, 2]);
    expect(report.failures[0]?.at.offset).toBe(2);
    expect(report.lanes[0]).toMatchObject({ handled: 2, failed: 2 });
  });

  it('fails the lane at its first record when the batch handler keeps throwing', async () => {
    let calls = 0;
    const route = defineBatchRoute({
      topic: 'stock',
      handleBatch: () => {
        calls++;
        throw new Error('db down');
      },
    });
    const report = await run({ routes: [route] }, [
      { topic: 'stock', value: 1 },
      { topic: 'stock', value: 2 },
    ]);
    expect(calls).toBe(3);
    expect(report.failures[0]?.at.offset).toBe(0);
    expect(report.lanes[0]).toMatchObject({ handled: 0, failed: 2 });
  });
});

describe('dispatch: time budget', () => {
  it('stops starting records when the remaining time reaches the reserve, and reports them failed', async () => {
    let remaining = 10_000;
    const calls: number[] = [];
    const route = defineRoute({
      topic: 't',
      handle: (_v: unknown, ctx) => {
        calls.push(ctx.record.offset);
        remaining -= 3_000; // each record "takes" 3 s
      },
    });
    const report = await run(
      { routes: [route], reserveMs: 2_000 },
      [1, 2, 3, 4, 5].map((value) => ({ topic: 't', value })),
      lambdaContext({ remainingMs: () => remaining }),
    );
    expect(calls).toEqual([0, 1, 2]);
    expect(report.failures[0]?.at.offset).toBe(3);
    expect(report.failures[0]?.error).toBeInstanceOf(TimeBudgetError);
    expect(report.lanes[0]).toMatchObject({ handled: 3, failed: 2 });
  });

  it('does not retry when the backoff would eat into the reserve', async () => {
    let attempts = 0;
    const route = defineRoute({
      topic: 't',
      retry: { attempts: 5, initialDelayMs: 5_000, maxDelayMs: 10_000 },
      handle: () => {
        attempts++;
        throw new Error('flaky');
      },
    });
    const report = await run(
      { routes: [route], reserveMs: 1_000 },
      [{ topic: 't', value: 1 }],
      lambdaContext({ remainingMs: () => 4_000 }),
    );
    expect(attempts).toBe(1);
    expect(report.failures[0]?.at.offset).toBe(0);
  });
});

describe('dispatch: scale and accounting', () => {
  it('handles a 10,000-record event over 8 partitions', async () => {
    let count = 0;
    const route = defineRoute({ topic: 'big', schema: z.object({ i: z.number() }), handle: () => void count++ });
    const messages = Array.from({ length: 10_000 }, (_, i) => ({ topic: 'big', partition: i % 8, value: { i } }));
    const report = await run({ routes: [route] }, messages);
    expect(count).toBe(10_000);
    expect(report.totals).toMatchObject({ records: 10_000, handled: 10_000, failed: 0 });
  });

  it('accounts for every record whatever fails (property)', async () => {
    const outcome = fc.constantFrom('ok', 'retryable', 'permanent', 'bad-json', 'tombstone');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ partition: fc.integer({ min: 0, max: 3 }), outcome, topic: fc.constantFrom('dl', 'plain', 'batch', 'nowhere') }),
          {
            maxLength: 40,
          },
        ),
        fc.constantFrom<'fail' | 'skip'>('fail', 'skip'),
        async (records, unmatched) => {
          const handle = (value: unknown) => {
            const kind = (value as { outcome: string }).outcome;
            if (kind === 'retryable') throw new Error('retryable');
            if (kind === 'permanent') throw new PermanentError('permanent');
          };
          const event = mutableEvent(
            records.map((r) => ({
              topic: r.topic,
              partition: r.partition,
              value: r.outcome === 'tombstone' ? null : { outcome: r.outcome },
            })),
          );
          records.forEach((r, n) => {
            if (r.outcome !== 'bad-json') return;
            const lane = `${r.topic}-${r.partition}`;
            const index = records.slice(0, n).filter((o) => `${o.topic}-${o.partition}` === lane).length;
            recordOf(event, lane, index).value = Buffer.from('{oops').toString('base64');
          });
          const report = await run(
            {
              unmatched,
              routes: [
                defineRoute({ topic: 'dl', deadLetter: true, handle }),
                defineRoute({ topic: 'plain', handle }),
                defineBatchRoute({
                  topic: 'batch',
                  handleBatch: (items) => {
                    for (const item of items) handle(item.value);
                  },
                }),
              ],
            },
            event,
          );
          expect(accounted(report)).toBe(true);
          expect(report.totals.records).toBe(records.length);
          for (const lane of report.lanes) {
            // Nothing at or after a failure point leaves the lane.
            if (lane.failure) expect(lane.messages.every((m) => m.source.offset < (lane.failure?.at.offset ?? 0))).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
