import { createDefaultPublisher, createKafkaHandler, createRouter } from 'kafka-lambda-router';
import { recordPayment } from './handlers/record-payment.js';

/** Lambda entry of the recordPayments function. */
export const handler = createKafkaHandler(createRouter({ routes: [recordPayment], unmatched: 'fail' }), {
  publisher: createDefaultPublisher(),
});
