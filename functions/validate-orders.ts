import { createDefaultPublisher, createKafkaHandler, createRouter } from 'kafka-lambda-router';
import { validateOrder } from './handlers/validate-order.js';

/** Lambda entry of the validateOrders function. */
export const handler = createKafkaHandler(createRouter({ routes: [validateOrder], unmatched: 'fail' }), {
  publisher: createDefaultPublisher(),
});
