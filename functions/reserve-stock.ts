import { createDefaultPublisher, createKafkaHandler, createRouter } from '../src/runtime/index.js';
import { reserveStock } from './handlers/reserve-stock.js';

/** Lambda entry of the reserveStock function. */
export const handler = createKafkaHandler(createRouter({ routes: [reserveStock], unmatched: 'fail' }), {
  publisher: createDefaultPublisher(),
});
