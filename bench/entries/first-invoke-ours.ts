// A bundled handler's first invocation: ours, publishing each record to OUT_TOPIC; PRECONNECT=1 connects in init.
import { createKafkaHandler, createKafkaPublisher, createRouter, defineRoute, silentLogger, to } from '../../src/runtime/index.js';

const publisher = createKafkaPublisher({
  auth: { mechanism: 'plaintext' },
  logger: silentLogger,
  preConnect: process.env.PRECONNECT === '1',
});
// Holding init until connected is what provisioned concurrency (and Lambda's init CPU burst) pays for.
if (process.env.PRECONNECT === '1') await publisher.connect();
const route = defineRoute({ topic: 'orders', publishes: [to(process.env.OUT_TOPIC ?? 'out')], handle: (value: unknown) => value });

export const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
