// The README's "Testing your handlers" example, verbatim: if this breaks, the README is wrong.

import { createTestBroker } from 'kafka-lambda-router/testing';
import { describe, expect, it } from 'vitest';
import { handler as notifyCustomers } from '../../../../functions/notify-customers.js';
import { handler as reserveStock } from '../../../../functions/reserve-stock.js';
import { OrderValidated } from '../../../../functions/schemas.js';
import { handler as validateOrders } from '../../../../functions/validate-orders.js';

describe('order pipeline', () => {
  it('validates an order and notifies the customer', async () => {
    const broker = await createTestBroker({ handlers: [validateOrders, reserveStock, notifyCustomers], followChain: true });

    const result = await broker.publish(
      'orders.placed',
      { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-MUG', quantity: 2 }], placedAt: '2026-11-24T09:00:00Z' },
      { key: 'c-1' },
    );

    expect(result.response).toEqual({ batchItemFailures: [] });
    expect(broker.values('orders.validated', OrderValidated)[0]?.total).toBe(16);
    expect(broker.messages('notifications.sms').map((m) => m.key)).toEqual(['c-1']);
  });
});
