import { createTestBroker } from 'kafka-lambda-router/testing';
import { describe, expect, it } from 'vitest';
import { handler } from '../functions/orders.js';

describe('acceptOrders', () => {
  it('accepts an order, keyed like its input', async () => {
    const broker = await createTestBroker({ handlers: [handler] });
    const result = await broker.publish('orders', { orderId: 'o-1', amount: 25 }, { key: 'customer-1' });

    expect(result.response).toEqual({ batchItemFailures: [] });
    expect(broker.values('orders.accepted')).toEqual([{ orderId: 'o-1', amount: 25, accepted: true }]);
    expect(broker.messages('orders.accepted').map((message) => message.key)).toEqual(['customer-1']);
  });

  it('dead-letters an order over the limit, and the partition moves on', async () => {
    const broker = await createTestBroker({ handlers: [handler] });
    const result = await broker.publish('orders', { orderId: 'o-2', amount: 50_000 });

    expect(result.response).toEqual({ batchItemFailures: [] });
    expect(broker.messages('orders.DLT')).toHaveLength(1);
    expect(broker.messages('orders.accepted')).toHaveLength(0);
  });
});
