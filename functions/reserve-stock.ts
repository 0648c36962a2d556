import { createDefaultPublisher, createKafkaHandler, createRouter } from 'kafka-lambda-router';
import { reserveStock } from './handlers/reserve-stock.js';

/** Lambda entry of the reserveStock function. */
export const handler = createKafkaHandler(createRouter({ routes: [reserveStock], unmatched: 'fail' }), {
  publisher: createDefaultPublisher(),
});
