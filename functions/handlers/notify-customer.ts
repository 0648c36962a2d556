import { defineRoute, to } from 'kafka-lambda-router';
import { StockReserved } from '../schemas.js';
import { TOPICS } from '../topics.js';

type Reserved = { orderId: string; email?: string | undefined; phone?: string | undefined; reservations: unknown[] };

/**
 * stock.reserved → notifications.email and notifications.sms (fan-out): the
 * returned value goes to both publishers, each shaping its own message.
 */
export const notifyCustomer = defineRoute({
  name: 'notify-customer',
  topic: TOPICS.stockReserved,
  schema: StockReserved,
  publishes: [
    to(TOPICS.emailNotifications, {
      map: (r: Reserved) => ({
        orderId: r.orderId,
        to: r.email ?? null,
        subject: `Order ${r.orderId} is on its way`,
        items: r.reservations.length,
      }),
    }),
    to(TOPICS.smsNotifications, {
      map: (r: Reserved) => ({
        orderId: r.orderId,
        to: r.phone ?? null,
        text: `Order ${r.orderId}: ${r.reservations.length} item(s) reserved`,
      }),
    }),
  ],
  handle: (reserved) => reserved,
});
