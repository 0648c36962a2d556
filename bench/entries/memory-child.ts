// Run by bench/memory.ts in a fresh process: one ~6 MB event (Lambda's payload limit) through a route that
// publishes each record to the real broker; prints RSS at the baseline (warm publisher, no event yet) and the peak.

import { readFileSync } from 'node:fs';
import { createKafkaHandler, createKafkaPublisher, createRouter, defineRoute, silentLogger, to } from '../../src/runtime/index.js';

// The parent wrote the event's JSON text to a file, so building it costs this process nothing.
const [eventFile = '', topic = 'out'] = process.argv.slice(2);
const publisher = createKafkaPublisher({ auth: { mechanism: 'plaintext' }, logger: silentLogger });
await publisher.connect();
const route = defineRoute({ topic: 'orders', publishes: [to(topic)], handle: (order: unknown) => order });
const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
const context = { getRemainingTimeInMillis: () => 600_000, awsRequestId: 'bench' } as never;
globalThis.gc?.();
const baselineRssMb = process.memoryUsage().rss / 2 ** 20;

// The runtime reads the JSON text it received, parses it and keeps both until the handler returns.
const eventText = readFileSync(eventFile, 'utf8');
const event = JSON.parse(eventText);
const response = await handler(event, context);
if (response.batchItemFailures.length) throw new Error('unexpected failures');
await publisher.close();
process.stdout.write(JSON.stringify({ baselineRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024, textLength: eventText.length }));
