import * as z from 'zod/mini';

/** The order every variant validates: the shape of `bench/lib/fixtures.ts`'s records. */
export const Order = z.object({ id: z.number(), customer: z.string(), sku: z.string(), qty: z.number(), note: z.string() });

/** One validated order. */
export type Order = z.infer<typeof Order>;

/** The transform every variant applies before publishing the result to both output topics. */
export function transform(order: Order): { id: number; customer: string; sku: string; qty: number; amount: number } {
  return { id: order.id, customer: order.customer, sku: order.sku, qty: order.qty, amount: order.qty * 9.5 };
}
