import avsc from 'avsc';
import type { EventMessage } from 'kafka-lambda-router/testing';
import { type OrderPlaced, type OrderValidated, PAYMENT_RECEIVED_AVRO, type PaymentReceived, type StockReserved } from './schemas.js';
import { TOPICS } from './topics.js';

// Realistic sample records for each function: used to generate events/, by the tests and by the demo.

const trace = (n: number) => ({
  traceparent: `00-4bf92f3577b34da6a3ce929d0e0e${String(4736 + n).padStart(4, '0')}-00f067aa0ba902b7-01`,
  'x-correlation-id': `checkout-${n}`,
});

/** A valid placed order. */
export function placedOrder(n: number, overrides: Partial<OrderPlaced> = {}): OrderPlaced {
  return {
    orderId: `ord-${String(n).padStart(5, '0')}`,
    customerId: `cus-${(n % 23) + 1}`,
    email: `customer${(n % 23) + 1}@example.com`,
    phone: `+3531555${String(n % 10_000).padStart(4, '0')}`,
    currency: 'EUR',
    lines: [
      { sku: 'SKU-COFFEE', quantity: (n % 3) + 1 },
      { sku: n % 2 ? 'SKU-MUG' : 'SKU-FILTER', quantity: 1 },
    ],
    placedAt: new Date(Date.UTC(2026, 10, 24, 9, 0, n % 60)).toISOString(),
    ...overrides,
  };
}

/** Records for validateOrders: valid, rejected (unknown SKU), a poison pill (schema-invalid), and a tombstone. */
export const validateOrdersSample: EventMessage[] = [
  { topic: TOPICS.ordersPlaced, partition: 0, key: 'cus-2', value: placedOrder(1), headers: trace(1) },
  { topic: TOPICS.ordersPlaced, partition: 1, key: 'cus-3', value: placedOrder(2), headers: trace(2) },
  {
    topic: TOPICS.ordersPlaced,
    partition: 0,
    key: 'cus-4',
    value: placedOrder(3, { lines: [{ sku: 'SKU-UNICORN', quantity: 1 }] }),
    headers: trace(3),
  },
  // A poison pill: quantity must be a positive integer. It is dead-lettered; the partition moves on.
  {
    topic: TOPICS.ordersPlaced,
    partition: 1,
    key: 'cus-5',
    value: { ...placedOrder(4), lines: [{ sku: 'SKU-MUG', quantity: -2 }] },
    headers: trace(4),
  },
  // A tombstone (null value): skipped and counted, never a crash.
  { topic: TOPICS.ordersPlaced, partition: 0, key: 'cus-6', value: null },
];

function validated(n: number): OrderValidated {
  return { ...placedOrder(n), total: n % 2 ? 8 + 12.5 * ((n % 3) + 1) : 4.25 + 12.5 * ((n % 3) + 1) };
}

/** Records for reserveStock: validated orders over two partitions (a batch route gets each partition as one array). */
export const reserveStockSample: EventMessage[] = [1, 2, 3, 5, 8].map((n, i) => ({
  topic: TOPICS.ordersValidated,
  partition: i % 2,
  key: validated(n).customerId,
  value: validated(n),
  headers: trace(n),
}));

function reserved(n: number): StockReserved {
  const order = placedOrder(n);
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    email: order.email,
    phone: order.phone,
    reservations: order.lines.map((line) => ({
      ...line,
      warehouse: line.sku === 'SKU-COFFEE' || line.sku === 'SKU-MUG' ? 'dub-1' : 'fra-2',
    })),
  };
}

/** Records for notifyCustomers: reservations fanned out to email and SMS. */
export const notifyCustomersSample: EventMessage[] = [1, 2, 3].map((n) => ({
  topic: TOPICS.stockReserved,
  partition: 0,
  key: reserved(n).customerId,
  value: reserved(n),
  headers: trace(n),
}));

/** A payment from the provider for order `n`. */
export function receivedPayment(n: number): PaymentReceived {
  const order = placedOrder(n);
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    amountCents: 1_000 + 1_250 * ((n % 3) + 1),
    currency: 'EUR',
    method: (['CARD', 'SEPA', 'WALLET'] as const)[n % 3] ?? 'CARD',
  };
}

/** The Avro payload of a payment (what follows the registry header on the wire). */
export function paymentAvro(payment: PaymentReceived): Buffer {
  return avsc.Type.forSchema(PAYMENT_RECEIVED_AVRO as unknown as avsc.Schema).toBuffer(payment);
}

/** The schema version id the sample records name, as Lambda's ESM does with a Glue registry. */
export const SAMPLE_PAYMENT_SCHEMA_VERSION = '3f1c2a9e-5b7d-4c21-9e0a-6d8b4f2a1c55';

/**
 * Records for recordPayments, as Lambda's ESM delivers them from a mapping with
 * a schema registry in SOURCE mode: the Avro payload and `valueSchemaMetadata`.
 * The third is truncated (a poison pill: dead-lettered).
 */
export const recordPaymentsSample: EventMessage[] = [1, 2, 3].map((n) => {
  const payload = paymentAvro(receivedPayment(n));
  return {
    topic: TOPICS.paymentsReceived,
    partition: 0,
    key: receivedPayment(n).customerId,
    value: n === 3 ? payload.subarray(0, 6) : payload,
    headers: trace(n),
    valueSchemaMetadata: { dataFormat: 'AVRO', schemaId: SAMPLE_PAYMENT_SCHEMA_VERSION },
  };
});

/** Every committed sample event: file name → how to build it. */
export const SAMPLE_EVENTS = {
  'validate-orders.json': { messages: validateOrdersSample, source: 'msk' },
  'reserve-stock.json': { messages: reserveStockSample, source: 'msk' },
  'notify-customers.json': { messages: notifyCustomersSample, source: 'msk' },
  'record-payments.json': { messages: recordPaymentsSample, source: 'msk' },
  'validate-orders.self-managed.json': { messages: validateOrdersSample, source: 'self-managed' },
} as const;
