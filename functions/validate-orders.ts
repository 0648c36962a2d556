import { createDefaultPublisher, createKafkaHandler, createRouter } from '../src/runtime/index.js';
import { validateOrder } from './handlers/validate-order.js';

/** Lambda entry of the validateOrders function. */
export const handler = createKafkaHandler(createRouter({ routes: [validateOrder], unmatched: 'fail' }), {
  publisher: createDefaultPublisher(),
});
