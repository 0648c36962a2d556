import { defineRoute, PermanentError, to } from 'kafka-lambda-router';
import { CATALOG } from '../catalog.js';
import { OrderPlaced } from '../schemas.js';
import { TOPICS } from '../topics.js';

/**
 * orders.placed → orders.validated or orders.rejected (conditional publish).
 * Values that fail the schema, and orders the handler marks permanent, go to
 * orders.placed.DLT; the partition keeps moving.
 */
export const validateOrder = defineRoute({
  name: 'validate-order',
  topic: TOPICS.ordersPlaced,
  schema: OrderPlaced,
  deadLetter: true,
  publishes: [to(TOPICS.ordersValidated), to(TOPICS.ordersRejected)],
  handle(order, ctx) {
    if (order.lines.length === 0) throw new PermanentError(`order ${order.orderId} has no lines`);
    const unknown = order.lines.filter((line) => !CATALOG[line.sku]).map((line) => line.sku);
    if (unknown.length > 0) {
      ctx.publish(TOPICS.ordersRejected, {
        orderId: order.orderId,
        customerId: order.customerId,
        reason: `unknown SKU ${unknown.join(', ')}`,
      });
      return;
    }
    const total = order.lines.reduce((sum, line) => sum + (CATALOG[line.sku]?.price ?? 0) * line.quantity, 0);
    ctx.publish(TOPICS.ordersValidated, { ...order, total: Math.round(total * 100) / 100 });
  },
});
