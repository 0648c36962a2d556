import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as notifyCustomers } from '../../../functions/notify-customers.js';
import { handler as reserveStock } from '../../../functions/reserve-stock.js';
import { placedOrder } from '../../../functions/samples.js';
import { OrderValidated } from '../../../functions/schemas.js';
import { TOPICS } from '../../../functions/topics.js';
import { handler as validateOrders } from '../../../functions/validate-orders.js';
import { createTestBroker, type TestBroker } from '../../../src/harness/testing/index.js';
import { setEnv } from '../../support/env.js';
import { testKafka } from '../../support/kafka.js';

// One test, two modes: in memory, and through the real broker with the ESM emulator.
describe.each([
  { mode: 'in memory', withReal: false },
  { mode: 'real broker', withReal: true },
])('the order pipeline ($mode)', ({ withReal }) => {
  let broker: TestBroker;
  let restoreEnv: () => void;
  beforeAll(async () => {
    restoreEnv = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(',') });
    broker = await createTestBroker({ handlers: [validateOrders, reserveStock, notifyCustomers], followChain: true, withReal });
  });
  afterAll(async () => {
    await broker?.close();
    restoreEnv();
  });

  it('takes an order from placed to email and SMS, rejects unknown SKUs, dead-letters poison pills', async () => {
    const orderId = `ord-${withReal ? 'real' : 'mem'}-${Date.now()}`;
    const placed = await broker.publish(TOPICS.ordersPlaced, placedOrder(3, { orderId }), { key: 'cus-4' });
    expect(placed.response).toEqual({ batchItemFailures: [] });
    await broker.waitFor(TOPICS.smsNotifications, 1);
    expect(broker.values(TOPICS.ordersValidated, OrderValidated).map((o) => o.orderId)).toEqual([orderId]);
    expect(broker.values(TOPICS.emailNotifications)).toEqual([
      expect.objectContaining({ orderId, subject: `Order ${orderId} is on its way` }),
    ]);
    expect(broker.messages(TOPICS.smsNotifications).map((m) => m.key)).toEqual(['cus-4']);

    const poison = await broker.publish(TOPICS.ordersPlaced, { orderId: 'no-lines' }, { key: 'cus-5' });
    expect(poison.deadLettered.map((m) => [m.topic, m.key])).toEqual([[`${TOPICS.ordersPlaced}.DLT`, 'cus-5']]);
    const rejected = await broker.publish(
      TOPICS.ordersPlaced,
      placedOrder(4, { orderId: `${orderId}-x`, lines: [{ sku: 'NOPE', quantity: 1 }] }),
    );
    expect(rejected.published.map((m) => m.topic)).toEqual([TOPICS.ordersRejected]);
  });
});

// Filter criteria, both ways: a record that matches no filter reaches no handler (committed, in real mode).
describe.each([
  { mode: 'in memory', withReal: false },
  { mode: 'real broker', withReal: true },
])('filter criteria ($mode)', ({ withReal }) => {
  it('never invokes for a record no filter matches, and invokes for one that matches', async () => {
    const restoreEnv = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(',') });
    const broker = await createTestBroker({
      handlers: [validateOrders],
      withReal,
      filterPatterns: { [TOPICS.ordersPlaced]: [{ value: { currency: ['EUR'] } }] },
    });
    try {
      const usd = await broker.publish(TOPICS.ordersPlaced, { ...placedOrder(5), currency: 'USD' }, { key: 'cus-6' });
      expect(usd.invocations).toEqual([]);
      const eur = await broker.publish(TOPICS.ordersPlaced, placedOrder(6), { key: 'cus-7' });
      expect(eur.invocations).toHaveLength(1);
      expect(eur.response).toEqual({ batchItemFailures: [] });
    } finally {
      await broker.close();
      restoreEnv();
    }
  });
});
