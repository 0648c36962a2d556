// A handler entry that publishes with SCRAM: bundled by bench/publish.ts to show that
// its import does not load the AWS SDK (that happens only on the IAM / secret paths).
import { createKafkaHandler, createKafkaPublisher, createRouter, defineRoute, to } from '../../src/runtime/index.js';

const route = defineRoute({ topic: 'orders', publishes: [to('orders.audit')], handle: (value: unknown) => value });
export const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail' }), {
  publisher: createKafkaPublisher({ auth: { mechanism: 'scram-sha-512', username: 'user', password: 'not-a-real-password' } }),
});
