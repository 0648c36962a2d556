import { describe, expect, it } from 'vitest';
import { handler as notifyCustomers } from '../../../../functions/notify-customers.js';
import { handler as reserveStock } from '../../../../functions/reserve-stock.js';
import { placedOrder } from '../../../../functions/samples.js';
import { OrderValidated, StockReserved } from '../../../../functions/schemas.js';
import { TOPICS } from '../../../../functions/topics.js';
import { handler as validateOrders } from '../../../../functions/validate-orders.js';
import { createTestBroker, PipelineUnsettledError } from '../../../../src/harness/testing/index.js';
import { defineRoute, PermanentError, to } from '../../../../src/runtime/index.js';

const app = { handlers: [validateOrders, reserveStock, notifyCustomers] };

describe('test broker (in memory) on the example app', () => {
  it('runs the handler for a published value and shows what it published, typed by schema', async () => {
    const broker = await createTestBroker(app);
    const result = await broker.publish(TOPICS.ordersPlaced, placedOrder(1), { key: 'cus-2' });
    expect(result.response).toEqual({ batchItemFailures: [] });
    expect(result.published.map((m) => [m.topic, m.key])).toEqual([[TOPICS.ordersValidated, 'cus-2']]);
    const [validated] = broker.values(TOPICS.ordersValidated, OrderValidated);
    expect(validated?.total).toBe(33); // typed: OrderValidated
    expect(result.invocations[0]?.event.eventSource).toBe('aws:kafka');
  });

  it('routes rejections and dead-letters poison pills with Spring headers', async () => {
    const broker = await createTestBroker(app);
    const rejected = await broker.publish(TOPICS.ordersPlaced, placedOrder(2, { lines: [{ sku: 'NOPE', quantity: 1 }] }));
    expect(rejected.published.map((m) => m.topic)).toEqual([TOPICS.ordersRejected]);
    const poison = await broker.publish(TOPICS.ordersPlaced, { orderId: 'broken' });
    expect(poison.response).toEqual({ batchItemFailures: [] });
    expect(poison.deadLettered).toHaveLength(1);
    expect(poison.deadLettered[0]).toMatchObject({
      topic: `${TOPICS.ordersPlaced}.DLT`,
      value: { orderId: 'broken' },
      headers: { 'kafka_dlt-original-topic': TOPICS.ordersPlaced },
    });
  });

  it('follows the chain to the end of the pipeline when asked', async () => {
    const broker = await createTestBroker({ ...app, followChain: true });
    const result = await broker.publish(TOPICS.ordersPlaced, placedOrder(7), { key: 'cus-8' });
    expect(result.invocations.map((i) => i.functionName)).toEqual(['validate-order', 'reserve-stock', 'notify-customer']);
    expect(broker.values(TOPICS.stockReserved, StockReserved)[0]?.reservations).toHaveLength(2);
    expect(broker.values(TOPICS.emailNotifications)).toEqual([
      expect.objectContaining({ orderId: 'ord-00007', subject: 'Order ord-00007 is on its way' }),
    ]);
    expect(await broker.waitFor(TOPICS.smsNotifications, 1)).toHaveLength(1);
  });

  it('publishes many messages as one invocation for batch handlers', async () => {
    const broker = await createTestBroker(app);
    const orders = [1, 2, 3].map((n) => ({ key: `cus-${n}`, value: { ...placedOrder(n), total: 10 } }));
    const result = await broker.publishBatch(TOPICS.ordersValidated, orders);
    expect(result.invocations).toHaveLength(1);
    expect(Object.values(result.invocations[0]?.event.records ?? {}).flat()).toHaveLength(3);
    expect(broker.messages(TOPICS.stockReserved).map((m) => m.key)).toEqual(['cus-2', 'cus-3', 'cus-4']);
  });

  it('exercises the time budget: too little time left means records are reported failed, not lost', async () => {
    const broker = await createTestBroker(app);
    const result = await broker.publish(TOPICS.ordersPlaced, placedOrder(1), { remainingMs: 1_000 });
    expect(result.response).toEqual({ batchItemFailures: [{ itemIdentifier: { partition: `${TOPICS.ordersPlaced}-0`, offset: 0 } }] });
    expect(result.published).toEqual([]);
  });
});

describe('test broker with plain routes', () => {
  it('reports partial failures and the handler’s error type', async () => {
    const route = defineRoute({
      topic: 'payments',
      handle: (value: unknown) => {
        if ((value as { amount: number }).amount < 0) throw new PermanentError('negative amount');
      },
    });
    const broker = await createTestBroker({ routes: [route] });
    const result = await broker.publishBatch('payments', [{ value: { amount: 1 } }, { value: { amount: -1 } }, { value: { amount: 2 } }]);
    expect(result.response).toEqual({ batchItemFailures: [{ itemIdentifier: { partition: 'payments-0', offset: 1 } }] });
  });

  it('stops a cycle that never settles with a clear error', async () => {
    const ping = defineRoute({ topic: 'ping', publishes: [to('pong')], handle: (value: unknown) => value });
    const pong = defineRoute({ topic: 'pong', publishes: [to('ping')], handle: (value: unknown) => value });
    const broker = await createTestBroker({ routes: [ping, pong], followChain: true, maxDeliveries: 50 });
    await expect(broker.publish('ping', 1)).rejects.toBeInstanceOf(PipelineUnsettledError);
  });

  it('says which topics it can deliver when nothing consumes the topic', async () => {
    const broker = await createTestBroker({ routes: [defineRoute({ topic: 'a', handle: () => undefined })] });
    await expect(broker.publish('b', 1)).rejects.toThrow(/No handler consumes topic 'b'/);
  });
});

describe('test broker with filter criteria (filterPatterns per topic, as in serverless.yml)', () => {
  const onlyEur = { [TOPICS.ordersPlaced]: [{ value: { currency: ['EUR'] } }] };

  it('delivers records that match and never invokes for records that match no filter', async () => {
    const broker = await createTestBroker({ ...app, filterPatterns: onlyEur });
    const kept = await broker.publish(TOPICS.ordersPlaced, placedOrder(1));
    expect(kept.invocations).toHaveLength(1);
    const dropped = await broker.publish(TOPICS.ordersPlaced, { ...placedOrder(2), currency: 'USD' });
    expect(dropped.invocations).toEqual([]);
    expect(dropped.response).toBeUndefined();
    expect(broker.messages(TOPICS.ordersValidated)).toHaveLength(1);
  });

  it('leaves the filtered records out of a batch, and their offsets are still taken', async () => {
    const broker = await createTestBroker({ ...app, filterPatterns: onlyEur });
    const result = await broker.publishBatch(
      TOPICS.ordersPlaced,
      ['EUR', 'USD', 'EUR'].map((currency, n) => ({ value: { ...placedOrder(n + 1), currency } })),
    );
    const records = Object.values(result.invocations[0]?.event.records ?? {}).flat();
    expect(records.map((r) => r.offset)).toEqual([0, 2]);
  });

  it('refuses a pattern Lambda would refuse when the broker is created', async () => {
    await expect(createTestBroker({ ...app, filterPatterns: { [TOPICS.ordersPlaced]: [{ partition: [0] }] } })).rejects.toThrow(
      /filter only on value/,
    );
    await expect(createTestBroker({ ...app, filterPatterns: { 'orders.placd': [{ value: ['x'] }] } })).rejects.toThrow(
      /filterPatterns for 'orders.placd': no handler consumes it/,
    );
  });
});
