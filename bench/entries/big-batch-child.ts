// Run by bench/big-batch.ts in a fresh process: one 10,000-record invocation through
// dispatch and the outbox (in-memory publisher), then its peak RSS and time per record.

import { createMemoryPublisher } from '../../src/harness/testing/index.js';
import { createKafkaHandler, createRouter, defineRoute, silentLogger, to } from '../../src/runtime/index.js';
import { benchEvent } from '../lib/fixtures.js';

const records = Number(process.argv[2] ?? 10_000);
const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
// The runtime hands the handler a parsed event; build it as JSON text first, as it arrives.
let eventText: string | undefined = JSON.stringify(benchEvent(records, 8, 1_000));
const eventMb = Buffer.byteLength(eventText) / 2 ** 20;
const event = JSON.parse(eventText);
eventText = undefined;
const publisher = createMemoryPublisher();
const route = defineRoute({
  topic: 'orders',
  publishes: [to('orders.audit'), to('orders.billing', { map: (o: { id: number }) => ({ id: o.id }) })],
  handle: (order: unknown) => order,
});
const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
const context = { getRemainingTimeInMillis: () => 600_000, awsRequestId: 'bench' } as never;
const rssBeforeHandlerMb = process.memoryUsage().rss / 2 ** 20;
const began = performance.now();
const response = await handler(event, context);
const elapsedMs = performance.now() - began;
if (response.batchItemFailures.length) throw new Error('unexpected failures');
process.stdout.write(
  JSON.stringify({
    records,
    eventMb,
    rssBeforeHandlerMb,
    rssAfterHandlerMb: process.memoryUsage().rss / 2 ** 20,
    outputs: publisher.messages.length,
    elapsedMs,
    usPerRecord: (elapsedMs * 1000) / records,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb,
  }),
);
