import { loadavg } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import * as z from 'zod/mini';
import { useKafkaCluster } from '../src/harness/local/broker/cluster.js';
import { startEmulator } from '../src/harness/local/emulator/emulator.js';
import { createKafkaHandler, createKafkaPublisher, createRouter, defineRoute, silentLogger, to } from '../src/runtime/index.js';
import {
  ensureFastStream,
  FASTSTREAM_VARIANTS,
  type FastStreamVariant,
  fastStreamName,
  type Outcome,
  runFastStream,
} from './faststream/runner.js';
import { machineLine } from './lib/report.js';
import { formatNumber, type Sample, summarize } from './lib/stats.js';

/** Options of {@link benchEndToEnd}. */
export interface EndToEndBenchOptions {
  readonly smoke?: boolean;
}

/** A variant's runs, summarised. */
interface Summary {
  readonly name: string;
  readonly runs: number;
  readonly perSecond: Sample;
  readonly cpuPer10k: number;
  readonly seconds: number;
}

const OURS = 'ours (kafka-lambda-router + ESM emulator)';
const RAW = 'raw kafkajs consumer + producer (floor)';

const PRICES: Record<string, number> = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`SKU-${i}`, 1.5 + i]));
const Order = z.object({ id: z.number(), customer: z.string(), sku: z.string(), qty: z.number().check(z.positive()), note: z.string() });
type Order = z.infer<typeof Order>;
const transform = (o: Order) => ({ id: o.id, customer: o.customer, sku: o.sku, qty: o.qty, total: o.qty * (PRICES[o.sku] ?? 0) });

/**
 * Issue 8's end-to-end benchmark, on one local broker and the same input: the
 * consume → validate → transform → publish-to-two-topics pipeline written with
 * this project (run by the ESM emulator), with FastStream (Python; both Kafka
 * backends, per-message and batch subscribers), and with a raw kafkajs consumer
 * + producer as the floor.
 */
export async function benchEndToEnd(options: EndToEndBenchOptions = {}): Promise<{ markdown: string; ratios: Record<string, number> }> {
  const count = options.smoke ? 2_000 : 100_000;
  await ensureFastStream();
  const loadBefore = loadavg()[0] as number;
  const cluster = await useKafkaCluster({ fastStart: false, log: () => undefined });
  const brokers = [...cluster.brokers];
  const kafka = new Kafka({ clientId: 'bench-e2e', brokers, logLevel: logLevel.NOTHING });
  const input = `bench-e2e-in-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 4 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let start = 0; start < count; start += 2_000) {
    const messages = [];
    for (let i = start; i < Math.min(count, start + 2_000); i++) {
      messages.push({
        key: `c${i % 97}`,
        value: JSON.stringify({ id: i, customer: `c${i % 97}`, sku: `SKU-${i % 13}`, qty: 1 + (i % 5), note: 'x'.repeat(900) }),
      });
    }
    await producer.send({ topic: input, acks: -1, messages });
  }
  await producer.disconnect();

  // The per-message FastStream configurations take minutes and run once. Ours, the batch configurations and
  // the floor, whose ratios are close, run `rounds` times interleaved so machine noise hits them alike.
  const rounds = options.smoke ? 1 : 3;
  const runs = new Map<string, Outcome[]>();
  const keep = (outcome: Outcome) => runs.set(outcome.name, [...(runs.get(outcome.name) ?? []), outcome]);
  const failedVariants = new Set<string>();
  const tryFastStream = async (variant: FastStreamVariant) => {
    try {
      keep(await runFastStream(brokers, input, count, variant, options.smoke ? 60_000 : 600_000));
    } catch (error) {
      failedVariants.add(
        `${fastStreamName(variant)}: ${error instanceof Error ? error.message.split('\n').slice(-3).join(' ') : String(error)}`,
      );
    }
  };
  try {
    for (let round = 0; round < rounds; round++) {
      keep(await runOurs(brokers, input, count));
      if (round === 0) for (const variant of FASTSTREAM_VARIANTS.filter((v) => v.mode === 'per-message')) await tryFastStream(variant);
      for (const variant of FASTSTREAM_VARIANTS.filter((v) => v.mode === 'batch')) await tryFastStream(variant);
      keep(await runRawKafkajs(kafka, input, count));
    }
  } finally {
    await admin.disconnect();
    await cluster.stop();
  }
  const loadAfter = loadavg()[0] as number;

  const perSecond = (o: Outcome) => o.records / o.steadySeconds;
  const cpuPer10k = (o: Outcome) => (o.cpuSeconds / o.records) * 10_000;
  const outcomes: Summary[] = [...runs].map(([name, list]) => ({
    name,
    runs: list.length,
    perSecond: summarize(list.map(perSecond)),
    cpuPer10k: summarize(list.map(cpuPer10k)).median,
    seconds: summarize(list.map((o) => o.seconds)).median,
  }));
  const ours = outcomes.find((o) => o.name === OURS) as Summary;
  const raw = outcomes.find((o) => o.name === RAW) as Summary;
  const peers = outcomes.filter((o) => o.name.startsWith('FastStream'));
  if (peers.length === 0) throw new Error(`No FastStream variant ran: ${[...failedVariants].join('; ')}`);
  // The peer is whichever FastStream configuration was fastest on this broker in this run.
  const faststream = peers.reduce((best, o) => (o.perSecond.median > best.perSecond.median ? o : best));
  const ratios: Record<string, number> = {
    'ours/faststream throughput': ours.perSecond.median / faststream.perSecond.median,
    'faststream/ours cpu': faststream.cpuPer10k / ours.cpuPer10k,
    'ours/raw throughput': ours.perSecond.median / raw.perSecond.median,
  };
  for (const peer of peers) ratios[`ours/${peer.name} throughput`] = ours.perSecond.median / peer.perSecond.median;
  const vsFastest = ratios['ours/faststream throughput'] as number;
  const markdown = [
    '## End to end against FastStream (issue 8)',
    '',
    `Command: \`npm run bench -- e2e\` · ${machineLine()} · one local Apache Kafka 4.1 broker (C2 JIT) · ${formatNumber(count)} input messages of ~1 KB over 4 partitions, already in the topic; each variant consumes all of them with its own consumer group, validates, transforms, and publishes each result to two topics (acks=all, idempotent producer). Variants run one after another on the same broker. 1-minute load average ${loadBefore.toFixed(1)} at the start and ${loadAfter.toFixed(1)} at the end (the machine is shared: above 2, other processes competed for the cores).`,
    '',
    '- **ours**: the route below in this project, driven by the ESM emulator (batch size 500, window 0, one Kafka flush per invocation), all in one Node process.',
    "- **FastStream**: `bench/faststream/pipeline.py`, FastStream 0.7.8 with pydantic validation and per-message logging off, its producer set like ours (`acks='all'`, `enable_idempotence=True`; aiokafka's default would be acks=1), with each Kafka backend, Confluent's (librdkafka) and aiokafka, in two configurations:",
    "  - **per-message subscriber**: one record per handler call, each of its two publishes awaited until the broker confirms it (FastStream's idiomatic default);",
    "  - **batch subscriber**: `batch=True, max_records=500`, one handler call per batch of up to 500 records; every keyed publish is sent with `no_confirm=True` and the batch's confirmations are gathered once (`asyncio.gather`) before the handler returns, the closest FastStream gets to our one flush per invocation.",
    `- The headline ratios use the **fastest** FastStream configuration of the run, here **${faststream.name}**.${failedVariants.size ? ` Configurations that did not run: ${[...failedVariants].join('; ')}.` : ''}`,
    '- **raw kafkajs**: one consumer (`eachBatch`) and one producer, a `JSON.parse` and the same transform, one `sendBatch` per batch: the floor.',
    '',
    `Records/s counts from the first handled record to the last (steady state); CPU-seconds are the whole process (user + sys), including start-up and the consumer. The per-message FastStream configurations run once; the others run ${rounds} times, interleaved (ours, the two batch configurations, the floor, again), and the table shows medians. Ours and the floor run inside the bench's Node process, so their later rounds find a warm JIT, as a warm Lambda container would; each FastStream run is a fresh Python process (CPython has no JIT to warm).`,
    '',
    '| variant | runs | records/s (median) | min–max | CPU-s per 10,000 records | wall s (start → done) |',
    '|---|---:|---:|---:|---:|---:|',
    ...outcomes.map(
      (o) =>
        `| ${o.name} | ${o.runs} | ${formatNumber(o.perSecond.median)} | ${formatNumber(o.perSecond.min)}–${formatNumber(o.perSecond.max)} | ${o.cpuPer10k.toFixed(2)} | ${o.seconds.toFixed(1)} |`,
    ),
    '',
    '| ratio | measured | target | met |',
    '|---|---:|---:|---|',
    `| ours / fastest FastStream, here ${faststream.name}, records/s | ${vsFastest.toFixed(2)}× | ≥ 1× (aim 2×) | ${vsFastest >= 1 ? 'yes' : '**no**'} |`,
    ...peers
      .filter((peer) => peer !== faststream)
      .map((peer) => `| ours / ${peer.name}, records/s | ${(ratios[`ours/${peer.name} throughput`] as number).toFixed(2)}× | – | – |`),
    `| fastest FastStream / ours, CPU per record | ${(ratios['faststream/ours cpu'] as number).toFixed(2)}× | – | – |`,
    `| ours / raw kafkajs, records/s | ${(ratios['ours/raw throughput'] as number).toFixed(2)}× | – | – |`,
    '',
    "Why the gaps: FastStream's per-message subscriber awaits each publish's delivery confirmation, so every record waits for the broker twice; our router buffers a whole invocation's outputs and flushes them in one `sendBatch`. FastStream's batch subscriber with unconfirmed publishes gathered per batch removes most of that wait, and the comparison with it is the one that says how fast the two frameworks are, not how they are used by default. Ours reaches part of the raw floor because the emulator does what Lambda's poller does: one invocation at a time per event source, each record re-encoded into a base64 ESM event and decoded again, and a commit per invocation; the floor does none of that.",
  ].join('\n');
  return { markdown, ratios };
}

async function runOurs(brokers: string[], input: string, count: number): Promise<Outcome> {
  const prefix = `bench-ours-${Date.now().toString(36)}`;
  const route = defineRoute({
    topic: input,
    schema: Order,
    publishes: [
      to(`${prefix}.audit`),
      to(`${prefix}.billing`, { map: (o: ReturnType<typeof transform>) => ({ id: o.id, amount: o.total }) }),
    ],
    handle: (order) => transform(order),
  });
  const publisher = createKafkaPublisher({ brokers, auth: { mechanism: 'plaintext' }, logger: silentLogger });
  const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
  let handled = 0;
  let firstAt = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const emulator = await startEmulator({
    brokers,
    logger: silentLogger,
    functions: [
      {
        name: 'ours',
        timeout: 60,
        invoke: async (event, context) => {
          if (firstAt === 0) firstAt = performance.now();
          const response = await handler(event, context);
          handled += Object.values(event.records).reduce((sum, records) => sum + records.length, 0);
          if (handled >= count) done();
          return response;
        },
        eventSources: [{ kind: 'msk', topic: input, batchSize: 500, maximumBatchingWindow: 0, consumerGroupId: `${prefix}-group` }],
      },
    ],
  });
  await finished;
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  await emulator.stop();
  await publisher.close();
  return {
    name: OURS,
    records: handled,
    seconds: (t1 - t0) / 1000,
    steadySeconds: (t1 - firstAt) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

async function runRawKafkajs(kafka: Kafka, input: string, count: number): Promise<Outcome> {
  const prefix = `bench-raw-${Date.now().toString(36)}`;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${prefix}-group`, maxWaitTimeInMs: 100 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: input, fromBeginning: true });
  let handled = 0;
  let firstAt = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          if (firstAt === 0) firstAt = performance.now();
          const audit = [];
          const billing = [];
          for (const message of batch.messages) {
            const out = transform(JSON.parse(message.value?.toString() ?? 'null') as Order);
            audit.push({ key: message.key, value: JSON.stringify(out) });
            billing.push({ key: message.key, value: JSON.stringify({ id: out.id, amount: out.total }) });
          }
          await producer.sendBatch({
            acks: -1,
            topicMessages: [
              { topic: `${prefix}.audit`, messages: audit },
              { topic: `${prefix}.billing`, messages: billing },
            ],
          });
          handled += batch.messages.length;
          if (handled >= count) resolve();
        },
      })
      .catch(reject);
  });
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  return {
    name: RAW,
    records: handled,
    seconds: (t1 - t0) / 1000,
    steadySeconds: (t1 - firstAt) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}
