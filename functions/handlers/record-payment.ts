import { defineRoute, to } from 'kafka-lambda-router';
import { avro } from 'kafka-lambda-router/avro';
import { PAYMENT_RECEIVED_AVRO, PaymentReceived } from '../schemas.js';
import { TOPICS } from '../topics.js';

/**
 * payments.avro (Avro) → payments.recorded (JSON). The mapping has a schema
 * registry in SOURCE mode (serverless.yml), so Lambda's ESM checks each record
 * against the registry and hands over the original Avro bytes (with or without
 * the registry header: AWS does not say, and `lambdaRecordFormat: 'SOURCE'`
 * reads both); the codec decodes them with the schema below, so this function
 * needs no registry credentials. avsc loads at the first record, not at cold start.
 */
export const recordPayment = defineRoute({
  name: 'record-payment',
  topic: TOPICS.paymentsReceived,
  codec: avro({ schema: PAYMENT_RECEIVED_AVRO, lambdaRecordFormat: 'SOURCE' }),
  schema: PaymentReceived,
  deadLetter: true,
  publishes: [to(TOPICS.paymentsRecorded, { key: (payment: { customerId: string }) => payment.customerId })],
  handle(payment) {
    return {
      orderId: payment.orderId,
      customerId: payment.customerId,
      amount: payment.amountCents / 100,
      currency: payment.currency,
      method: payment.method,
    };
  },
});
