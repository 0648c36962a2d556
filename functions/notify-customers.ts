import { createDefaultPublisher, createKafkaHandler, createRouter } from 'kafka-lambda-router';
import { notifyCustomer } from './handlers/notify-customer.js';

/** Lambda entry of the notifyCustomers function. */
export const handler = createKafkaHandler(createRouter({ routes: [notifyCustomer], unmatched: 'fail' }), {
  publisher: createDefaultPublisher(),
});
