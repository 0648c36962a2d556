import { loadavg } from 'node:os';
import type { Context } from 'aws-lambda';
import { Kafka, logLevel } from 'kafkajs';
import { useKafkaCluster } from '../src/harness/local/broker/cluster.js';
import type { KafkaEvent } from '../src/runtime/event/types.js';
import { createKafkaHandler } from '../src/runtime/lambda/handler.js';
import type { KafkaBatchResponse } from '../src/runtime/lambda/response.js';
import { createKafkaPublisher } from '../src/runtime/publish/kafka.js';
import type { LineageMode } from '../src/runtime/router/lineage.js';
import { silentLogger } from '../src/runtime/router/logger.js';
import { to } from '../src/runtime/router/publishers.js';
import { defineRoute } from '../src/runtime/router/route.js';
import { createRouter } from '../src/runtime/router/router.js';
import { handHandler } from './billed/hand.js';
import { powertoolsHandler } from './billed/powertools.js';
import { usdPerMillionRecords } from './billed/price.js';
import { Order, transform } from './billed/work.js';
import { benchEvent } from './lib/fixtures.js';
import { machineLine } from './lib/report.js';
import { measureInterleaved, pairedMedianRatio, type Sample, type Variant } from './lib/stats.js';

/** Options of {@link benchBilledCost}. */
export interface BilledCostBenchOptions {
  readonly smoke?: boolean;
}

const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'bench' } as unknown as Context;
const VALUE_BYTES = 230; // the example app's order records (events/validate-orders.json: 196–232 bytes)

/** The variants, in table order; (b) is the reference. */
const NAMES = {
  ours: '(a) ours (default lineage: 4 text headers)',
  oursCpu: '(a, no send) ours with a publisher that drops the outbox',
  oursCompact: "(a′) ours, lineage: 'compact' (1 binary header)",
  hand: '(b) hand kafkajs: one producer, one sendBatch',
  handLineage: '(b′) hand kafkajs + our 4 lineage headers',
  handCpu: '(b, no send) hand handler without the sendBatch',
  powertools: '(c) Powertools kafkaConsumer + batch processor + sendBatch',
  naive: '(d) naive: one awaited send per output',
} as const;

/**
 * Issue 26's billed-cost bench, on the real broker: the same work (decode JSON, validate with zod/mini,
 * transform, publish each result to two topics keyed by the input key, acks=all, idempotent) through ours and
 * what a team would write instead, interleaved; handler time per 1,000 records, billed cost per million records.
 */
export async function benchBilledCost(options: BilledCostBenchOptions = {}): Promise<{ markdown: string; ratios: Record<string, number> }> {
  const sizes = options.smoke ? [20] : [100, 1_000];
  const load = loadavg()[0] ?? Number.NaN;
  const cluster = await useKafkaCluster({ fastStart: false, log: () => undefined });
  const stamp = Date.now();
  const outputs = [`bench-billed-a-${stamp}`, `bench-billed-b-${stamp}`] as const;
  const kafka = new Kafka({ clientId: 'bench-billed', brokers: [...cluster.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: outputs.map((topic) => ({ topic, numPartitions: 4 })), waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const ours = (lineage: LineageMode) => {
    const route = defineRoute({
      topic: 'orders',
      lineage,
      schema: Order,
      publishes: [to(outputs[0]), to(outputs[1])],
      handle: (order) => transform(order),
    });
    const publisher = createKafkaPublisher({ brokers: [...cluster.brokers], auth: { mechanism: 'plaintext' }, logger: silentLogger });
    const router = createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger });
    const dropping = createKafkaHandler(router, { publisher: { publish: async () => undefined } });
    return { handler: createKafkaHandler(router, { publisher }), dropping, publisher };
  };
  const a = ours('headers');
  const a2 = ours('compact');
  const handlers: Record<keyof typeof NAMES, (event: KafkaEvent) => Promise<KafkaBatchResponse>> = {
    ours: (event) => a.handler(event, context),
    oursCpu: (event) => a.dropping(event, context),
    oursCompact: (event) => a2.handler(event, context),
    hand: handHandler({ producer, outputs, lineage: false, send: 'sendBatch' }),
    handLineage: handHandler({ producer, outputs, lineage: true, send: 'sendBatch' }),
    handCpu: handHandler({ producer, outputs, lineage: false, send: 'none' }),
    powertools: (
      (p) => (event: KafkaEvent) =>
        p(event, context)
    )(powertoolsHandler(producer, outputs)),
    naive: handHandler({ producer, outputs, lineage: false, send: 'per-record' }),
  };

  const results = new Map<number, Map<string, Sample>>();
  for (const size of sizes) {
    const event = benchEvent(size, 4, VALUE_BYTES);
    const variants: Variant[] = Object.entries(handlers).map(([id, handler]) => ({
      name: NAMES[id as keyof typeof NAMES],
      run: async () => {
        const response = await handler(event);
        if (response.batchItemFailures.length) throw new Error(`${id}: unexpected failures`);
        return size;
      },
    }));
    const settings = options.smoke ? { warmup: 1, samples: 2, passes: 1 } : { warmup: 3, samples: size >= 1_000 ? 12 : 20, passes: 1 };
    results.set(size, await measureInterleaved(variants, settings));
  }
  await Promise.all([a.publisher.close(), a2.publisher.close(), producer.disconnect()]);
  await cluster.stop();
  return report(results, load, loadavg()[0] ?? Number.NaN, options.smoke ?? false);
}

function report(
  results: Map<number, Map<string, Sample>>,
  loadBefore: number,
  loadAfter: number,
  smoke: boolean,
): { markdown: string; ratios: Record<string, number> } {
  const ratios: Record<string, number> = {};
  const lines = [
    '## Billed cost: ours against what a team would write (issue 26)',
    '',
    `Command: \`npm run bench -- billed-cost\` · ${machineLine()} · load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (2 cores, shared: noisy) · local Apache Kafka broker, outputs 2 topics × 4 partitions · event: the example app's ~${VALUE_BYTES}-byte JSON orders over 4 partitions · every variant: JSON decode, zod/mini validation, transform, publish to 2 topics keyed by the input key, acks=all, idempotent producer · rounds interleaved (each round starts one variant later), medians of per-invocation handler time; the ÷ (b) column is the median of round-by-round ratios, which cancels load that comes and goes between rounds`,
    '',
    'Price: arm64 USD 0.0000133334 per GB-second (Lambda on-demand, US East, first 7.5 billion GB-s; `bench/billed/price.ts` cites the source). Duration only (requests are USD 0.20 per million invocations on top, the same for every variant). Times are on one full core here: 1,769 MB on Lambda is one vCPU; at 512 MB Lambda gives ~0.29 vCPU, so the CPU-bound part runs up to ~3.5× longer there and the 512 MB column is a lower bound.',
  ];
  for (const [size, samples] of results) {
    const hand = samples.get(NAMES.hand)?.median ?? Number.NaN;
    const vsHand = (name: string) => pairedMedianRatio(samples.get(name), samples.get(NAMES.hand));
    lines.push(
      '',
      `### Batch of ${size} records`,
      '',
      '| variant | ms per 1,000 records (median) | min–max | ÷ (b), paired | USD per million records, 512 MB | 1,769 MB |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const [name, s] of samples) {
      lines.push(
        `| ${name} | ${(s.median / 1e3).toFixed(1)} | ${(s.min / 1e3).toFixed(1)}–${(s.max / 1e3).toFixed(1)} | ${vsHand(name).toFixed(2)}× | ${usdPerMillionRecords(s.median, 512).toFixed(4)} | ${usdPerMillionRecords(s.median, 1769).toFixed(4)} |`,
      );
    }
    const m = (id: keyof typeof NAMES) => samples.get(NAMES[id])?.median ?? Number.NaN;
    ratios[`ours/hand@${size}`] = vsHand(NAMES.ours);
    ratios[`oursCompact/hand@${size}`] = vsHand(NAMES.oursCompact);
    ratios[`handLineage/hand@${size}`] = vsHand(NAMES.handLineage);
    const per = (ns: number) => `${(ns / 1e3).toFixed(1)} ms`;
    lines.push(
      '',
      `Where the difference goes (per 1,000 records, from the medians above): the hand handler's CPU work (decode, validation, transform, building messages) ${per(m('handCpu'))}; kafkajs encoding plus the broker round trip ${per(hand - m('handCpu'))}; our four lineage headers on a hand handler (sha256 ids, 4 text headers per output, kafkajs encoding them, bigger records) ${per(m('handLineage') - hand)}; ours above the hand handler with the same headers ${per(m('ours') - m('handLineage'))}, of which our CPU work before the flush (decode, validation, context objects, lineage ids and headers, outbox, dispatch) is ${per(m('oursCpu') - m('handCpu'))} above the hand handler's and the rest is our flush (outbox to kafkajs messages, kafkajs encoding, our producer's round trip: ${per(m('ours') - m('oursCpu'))} against the hand handler's ${per(hand - m('handCpu'))} without headers); the compact encoding saves ${per(m('ours') - m('oursCompact'))} of ours.`,
      '',
      `| ratio (batch ${size}) | measured | target | met |`,
      '|---|---:|---:|---|',
      `| (a) ours, default lineage ÷ (b) | ${ratios[`ours/hand@${size}`]?.toFixed(2)}× | ≤ 1.1× | ${(ratios[`ours/hand@${size}`] ?? 9) <= 1.1 ? 'yes' : '**no**'} |`,
      `| (a′) ours, compact lineage ÷ (b) | ${ratios[`oursCompact/hand@${size}`]?.toFixed(2)}× | ≤ 1.1× | ${(ratios[`oursCompact/hand@${size}`] ?? 9) <= 1.1 ? 'yes' : '**no**'} |`,
      `| (b′) the price of the lineage promise on a hand handler | ${ratios[`handLineage/hand@${size}`]?.toFixed(2)}× | – | – |`,
    );
  }
  if (smoke) lines.push('', '(smoke run: a few records and rounds; the figures mean nothing)');
  return { markdown: lines.join('\n'), ratios };
}
