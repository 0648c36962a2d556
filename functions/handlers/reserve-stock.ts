import { defineBatchRoute, to } from 'kafka-lambda-router';
import { CATALOG } from '../catalog.js';
import { OrderValidated } from '../schemas.js';
import { TOPICS } from '../topics.js';

/**
 * orders.validated → stock.reserved, as a batch route: one call per partition
 * with its orders in offset order, so stock can be reserved in one round trip
 * per warehouse (here: aggregated per SKU and logged) before one reservation
 * per order is returned.
 */
export const reserveStock = defineBatchRoute({
  name: 'reserve-stock',
  topic: TOPICS.ordersValidated,
  schema: OrderValidated,
  publishes: [to(TOPICS.stockReserved, { key: (reservation: { customerId: string }) => reservation.customerId })],
  handleBatch(items, ctx) {
    const demand = new Map<string, number>();
    for (const { value } of items) for (const line of value.lines) demand.set(line.sku, (demand.get(line.sku) ?? 0) + line.quantity);
    ctx.logger.info('reserving stock', { partition: ctx.partition, orders: items.length, skus: demand.size });
    return items.map(({ value }) => ({
      orderId: value.orderId,
      customerId: value.customerId,
      email: value.email,
      phone: value.phone,
      reservations: value.lines.map((line) => ({
        sku: line.sku,
        quantity: line.quantity,
        warehouse: CATALOG[line.sku]?.warehouse ?? 'unknown',
      })),
    }));
  },
});
