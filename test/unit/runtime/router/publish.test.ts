import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, PermanentError } from '../../../../src/runtime/errors/index.js';
import { text } from '../../../../src/runtime/event/codec.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineBatchRoute, defineRoute } from '../../../../src/runtime/router/route.js';
import { run } from '../../../support/router.js';

const Order = z.object({ id: z.number(), total: z.number() });
const decoded = (value: Buffer | null) => (value ? JSON.parse(value.toString('utf8')) : null);
const header = (message: { headers: ReadonlyArray<readonly [string, Buffer]> }, name: string) =>
  message.headers.find(([n]) => n === name)?.[1]?.toString('utf8');

describe('publishing from handlers', () => {
  it('fans a returned value out to every declared publisher, keeping the input key', async () => {
    const route = defineRoute({
      topic: 'orders',
      schema: Order,
      publishes: [to('audit'), to('billing', { map: (o: { id: number; total: number }) => ({ invoiceFor: o.id, amount: o.total }) })],
      handle: (order) => order,
    });
    const report = await run({ routes: [route] }, [{ topic: 'orders', key: 'customer-7', value: { id: 1, total: 9.5 } }]);
    expect(report.messages.map((m) => [m.topic, m.key?.toString(), decoded(m.value)])).toEqual([
      ['audit', 'customer-7', { id: 1, total: 9.5 }],
      ['billing', 'customer-7', { invoiceFor: 1, amount: 9.5 }],
    ]);
    expect(report.messages.map((m) => [m.source, m.sequence, m.kind])).toEqual([
      [{ topic: 'orders', partition: 0, offset: 0 }, 0, 'output'],
      [{ topic: 'orders', partition: 0, offset: 0 }, 1, 'output'],
    ]);
  });

  it('publishes conditionally with ctx.publish, with key, headers and codec per publisher', async () => {
    const route = defineRoute({
      topic: 'orders',
      schema: Order,
      publishes: [
        to('valid', { key: (o: { id: number }) => `order-${o.id}` }),
        to('rejected', { codec: text as never, headers: () => ({ reason: 'total' }) }),
      ],
      handle: (order, ctx) => {
        if (order.total > 0) ctx.publish('valid', order);
        else ctx.publish('rejected', `order ${order.id} has no total`, { headers: [['checked-by', 'router']] });
      },
    });
    const report = await run({ routes: [route] }, [
      { topic: 'orders', key: 'k', value: { id: 1, total: 5 } },
      { topic: 'orders', key: 'k', value: { id: 2, total: 0 } },
    ]);
    const [valid, rejected] = report.messages;
    expect(valid).toMatchObject({ topic: 'valid' });
    expect(valid?.key?.toString()).toBe('order-1');
    expect(rejected?.topic).toBe('rejected');
    expect(rejected?.value?.toString()).toBe('order 2 has no total');
    // User headers first, then lineage headers.
    expect(rejected?.headers.slice(0, 2).map(([n, v]) => [n, v.toString()])).toEqual([
      ['reason', 'total'],
      ['checked-by', 'router'],
    ]);
  });

  it('keeps only the successful attempt’s outputs when a record is retried', async () => {
    const route = defineRoute({
      topic: 'in',
      publishes: [to('out')],
      handle: (_v: unknown, ctx) => {
        ctx.publish('out', { attempt: ctx.attempt });
        if (ctx.attempt < 2) throw new Error('flaky');
      },
    });
    const report = await run({ routes: [route] }, [{ topic: 'in', value: 1 }]);
    expect(report.messages.map((m) => decoded(m.value))).toEqual([{ attempt: 2 }]);
  });

  it('does not emit outputs of the failed record or anything after it in its lane', async () => {
    const route = defineRoute({
      topic: 'in',
      publishes: [to('out')],
      handle: (value: unknown) => {
        if (value === 2) throw new PermanentError('no');
        return value;
      },
    });
    const report = await run({ routes: [route] }, [
      { topic: 'in', value: 1 },
      { topic: 'in', value: 2 },
      { topic: 'in', value: 3 },
      { topic: 'in', partition: 1, value: 4 },
    ]);
    expect(report.messages.map((m) => decoded(m.value)).sort()).toEqual([1, 4]);
  });

  it('rejects publishing to an undeclared topic and returning without publishers, as permanent errors', async () => {
    const undeclared = defineRoute({ topic: 'a', publishes: [to('x')], handle: (_v: unknown, ctx) => ctx.publish('y' as 'x', 1) });
    const noPublishers = defineRoute({ topic: 'b', handle: () => 'something' });
    const report = await run({ routes: [undeclared, noPublishers] }, [
      { topic: 'a', value: 1 },
      { topic: 'b', value: 1 },
    ]);
    expect(report.failures.map((f) => f.error)).toEqual([expect.any(ConfigError), expect.any(ConfigError)]);
    expect(String(report.failures[0]?.error)).toMatch(/no publisher for topic 'y'/);
  });

  it('turns an unencodable output into a permanent error instead of retrying', async () => {
    let attempts = 0;
    const route = defineRoute({
      topic: 'a',
      publishes: [to('out')],
      handle: () => {
        attempts++;
        return { big: 10n };
      },
    });
    const report = await run({ routes: [route] }, [{ topic: 'a', value: 1 }]);
    expect(attempts).toBe(1);
    expect(report.failures[0]?.error).toBeInstanceOf(PermanentError);
    expect(String(report.failures[0]?.error)).toMatch(/Cannot encode the output for topic 'out'/);
  });

  it('sends an aggregate of a batch with an explicit key, its lineage naming the batch’s offset range', async () => {
    const route = defineBatchRoute({
      topic: 'stock',
      schema: z.object({ sku: z.string(), qty: z.number() }),
      publishes: [to('totals')],
      handleBatch: (items, ctx) => {
        const totals = new Map<string, number>();
        for (const { value } of items) totals.set(value.sku, (totals.get(value.sku) ?? 0) + value.qty);
        for (const [sku, qty] of totals) ctx.publishAggregate('totals', { sku, qty }, { key: sku });
      },
    });
    const report = await run({ routes: [route] }, [
      { topic: 'stock', value: { sku: 'a', qty: 1 } },
      { topic: 'stock', value: { sku: 'b', qty: 2 } },
      { topic: 'stock', value: { sku: 'a', qty: 3 } },
    ]);
    expect(report.messages.map((m) => [decoded(m.value), m.key?.toString(), header(m, 'x-source-offset'), m.sequence])).toEqual([
      [{ sku: 'a', qty: 4 }, 'a', '0-2', 0],
      [{ sku: 'b', qty: 2 }, 'b', '0-2', 1],
    ]);
  });
});
