import { createDefaultPublisher, createKafkaHandler, createRouter } from '../src/runtime/index.js';
import { recordPayment } from './handlers/record-payment.js';

/** Lambda entry of the recordPayments function. */
export const handler = createKafkaHandler(createRouter({ routes: [recordPayment], unmatched: 'fail' }), {
  publisher: createDefaultPublisher(),
});
