// Run by bench/memory.ts in a fresh process: one ~6 MB event (Lambda's payload limit) through a route that
// publishes each record to the real broker; prints RSS at the baseline (warm publisher, no event yet) and the peak.
import { createKafkaHandler, createKafkaPublisher, createRouter, defineRoute, silentLogger, to } from '../../src/runtime/index.js';
import { benchEvent } from '../lib/fixtures.js';

const [shape = 'small', topic = 'out'] = process.argv.slice(2);
const TARGET_BYTES = 6 * 2 ** 20 - 64 * 1024; // under 6 MB of event JSON, leaving room for Lambda's envelope
const publisher = createKafkaPublisher({ auth: { mechanism: 'plaintext' }, logger: silentLogger });
await publisher.connect();
const route = defineRoute({ topic: 'orders', publishes: [to(topic)], handle: (order: unknown) => order });
const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
const context = { getRemainingTimeInMillis: () => 600_000, awsRequestId: 'bench' } as never;
globalThis.gc?.();
const baselineRssMb = process.memoryUsage().rss / 2 ** 20;

// Many ~1 KB records, or 8 records of ~540 KB: base64 grows a value by 4/3, so size the values to fit the target.
const [records, valueBytes] = shape === 'small' ? [Math.floor(TARGET_BYTES / 1_560), 1_000] : [8, Math.floor((TARGET_BYTES / 8) * 0.74)];
let eventText: string | undefined = JSON.stringify(benchEvent(records, 4, valueBytes));
const eventMb = Buffer.byteLength(eventText) / 2 ** 20;
// The runtime parses the JSON text it received and keeps it until the handler returns.
const event = JSON.parse(eventText);
const response = await handler(event, context);
eventText = undefined;
if (response.batchItemFailures.length) throw new Error('unexpected failures');
await publisher.close();
process.stdout.write(JSON.stringify({ shape, records, eventMb, baselineRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
