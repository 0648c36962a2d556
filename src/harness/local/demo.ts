import { Kafka, logLevel } from 'kafkajs';
import type { RouteCounts } from '../../runtime/metrics/emf.js';
import { confluentRegistry } from '../../runtime/registry/confluent.js';
import { silentLogger } from '../../runtime/router/logger.js';
import { useKafkaCluster } from './broker/cluster.js';
import { runCleanups } from './cleanups.js';
import { startEmulator } from './emulator/emulator.js';
import { type LocalFunction, loadLocalFunctions } from './emulator/functions.js';
import type { ServiceSelection } from './emulator/serverless-config.js';
import type { FunctionStats } from './emulator/types.js';
import { localRegistryFor } from './registry/for-functions.js';
import { observeRoutes } from './route-summary.js';
import { type SamplesFile, samplesForTopic, type TopicSamples } from './samples/route-samples.js';
import { ensureTopics, fetchTopicOffsets, topicRecordCount } from './topics.js';

/** Options of {@link runServiceDemo}. */
export interface ServiceDemoOptions {
  readonly service: ServiceSelection & { readonly cwd: string; readonly file?: string };
  /** Records to produce to each entry topic (default 100). */
  readonly count?: number;
  readonly samples?: SamplesFile;
  /** Give up waiting for the pipeline to drain after this long (default 120 s). */
  readonly timeoutMs?: number;
  /** Aborting stops the demo early (its broker, consumers and functions are still stopped). */
  readonly signal?: AbortSignal;
  readonly progress?: (line: string) => void;
}

/** What a demo run did. */
export interface ServiceDemoResult {
  /** True when every consumer group caught up with its topic before the timeout. */
  readonly drained: boolean;
  /** Set when the demo was stopped before the pipeline drained. */
  readonly stoppedBy: string | undefined;
  readonly brokers: readonly string[];
  /** Topics the samples went to: consumed by a function, published by none. */
  readonly entryTopics: readonly TopicSamples[];
  /** Records added to each topic during the run. */
  readonly topics: Record<string, number>;
  readonly stats: ReadonlyMap<string, FunctionStats>;
  /** Per-route record counts over the run (the figures of the route metrics). */
  readonly routes: ReadonlyMap<string, RouteCounts>;
  readonly elapsedMs: number;
}

/**
 * A demo of any service: a broker (or `KAFKA_BROKERS`), every function of its serverless.yml under the
 * event source mapping emulator, `count` sample records (from each route's schema, or a samples file) sent
 * to the topics that start the pipeline, and a wait until every consumer group has caught up.
 */
export async function runServiceDemo(options: ServiceDemoOptions): Promise<ServiceDemoResult> {
  const progress = options.progress ?? (() => undefined);
  const cleanups: Array<() => Promise<unknown>> = [];
  const stopped = () => (options.signal?.aborted ? String(options.signal.reason) : undefined);
  try {
    const cluster = await useKafkaCluster({ log: progress });
    cleanups.push(() => cluster.stop());
    // The functions read these when they publish: this cluster, errors only in the log.
    process.env.KAFKA_BROKERS = cluster.brokers.join(',');
    process.env.LOG_LEVEL ??= 'error';
    progress(`loading the functions of ${options.service.file ?? 'serverless.yml'}`);
    const loaded = await loadLocalFunctions(options.service);
    cleanups.push(() => Promise.all(loaded.map((fn) => fn.close())));
    // Event sources with a schemaRegistry get the local registry (started only then).
    const { functions, registry } = await localRegistryFor(loaded, { log: progress });
    if (registry) cleanups.push(() => registry.close());
    const kafka = new Kafka({ clientId: 'demo', brokers: [...cluster.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const allTopics = new Set(functions.flatMap((fn) => fn.topics));
    await ensureTopics(admin, allTopics, 3);
    const before = await countRecords(admin, allTopics);
    const empty = {
      drained: false,
      brokers: cluster.brokers,
      entryTopics: [],
      topics: {},
      stats: new Map(),
      routes: new Map(),
      elapsedMs: 0,
    };
    if (stopped()) return { ...empty, stoppedBy: stopped() };

    const summary = observeRoutes();
    cleanups.push(async () => summary.stop());
    const emulator = await startEmulator({ brokers: cluster.brokers, functions, logger: silentLogger });
    cleanups.push(() => emulator.stop());
    progress('waiting for the event source mappings to join their consumer groups');
    await emulator.joined();
    const began = Date.now();
    progress('producing sample records');
    const entryTopics = await produceSamples(kafka, functions, options);
    progress(`produced ${entryTopics.reduce((sum, t) => sum + t.values.length, 0)} records; waiting for the pipeline to drain`);

    const deadline = began + (options.timeoutMs ?? 120_000);
    let drained = false;
    let caughtUpChecks = 0;
    while (!stopped() && Date.now() < deadline) {
      const lag = await consumerLag(admin, emulator.groups);
      caughtUpChecks = lag === 0 && emulator.idle() ? caughtUpChecks + 1 : 0;
      // Twice in a row: outputs published by the last invocation may still be on their way to the next function.
      if (caughtUpChecks >= 2) {
        drained = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const after = await countRecords(admin, allTopics);
    const topics = Object.fromEntries([...allTopics].map((topic) => [topic, (after[topic] ?? 0) - (before[topic] ?? 0)]));
    return {
      drained,
      stoppedBy: stopped(),
      brokers: cluster.brokers,
      entryTopics,
      topics,
      stats: emulator.stats,
      routes: summary.routes,
      elapsedMs: Date.now() - began,
    };
  } finally {
    await runCleanups(cleanups);
  }
}

/** Sends the samples to the topics that start the pipeline (consumed by a function, published by none). */
async function produceSamples(kafka: Kafka, functions: readonly LocalFunction[], options: ServiceDemoOptions): Promise<TopicSamples[]> {
  const published = new Set(functions.flatMap((fn) => fn.topics.filter((topic) => !fn.eventSources.some((s) => s.topic === topic))));
  const consumers = functions.flatMap((fn) => fn.eventSources.map((source) => ({ fn, topic: source.topic, source })));
  const entries = consumers.filter(({ topic }) => !published.has(topic));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const samples: TopicSamples[] = [];
  try {
    for (const { fn, topic, source } of entries.length > 0 ? entries : consumers) {
      if (samples.some((s) => s.topic === topic)) continue;
      // A mapping that reads its topic through a schema registry drops what is not registry-framed:
      // those samples are framed through the (local) registry, their schema registered as a producer would.
      const sample = await samplesForTopic(fn.router(), topic, {
        count: options.count ?? 100,
        ...(options.samples ? { samples: options.samples } : {}),
        framing: source.schemaRegistry ? { registry: confluentRegistry({ url: source.schemaRegistry.uri }) } : 'route',
      });
      samples.push(sample);
      const messages = sample.values.map((value, n) => ({ key: `key-${n % 16}`, value }));
      // In slices: one request must stay under the broker's maximum message size.
      for (let from = 0; from < messages.length; from += 500) {
        if (options.signal?.aborted) break;
        await producer.send({ topic, acks: -1, messages: messages.slice(from, from + 500) });
      }
    }
  } finally {
    await producer.disconnect();
  }
  return samples;
}

async function countRecords(admin: ReturnType<Kafka['admin']>, topics: Iterable<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const topic of topics) counts[topic] = await topicRecordCount(admin, topic);
  return counts;
}

/** Records not yet committed by the emulator's consumer groups (`function/topic` → group id). */
async function consumerLag(admin: ReturnType<Kafka['admin']>, groups: ReadonlyMap<string, string>): Promise<number> {
  let lag = 0;
  for (const [key, groupId] of groups) {
    const topic = key.slice(key.indexOf('/') + 1);
    const [ends, committed] = await Promise.all([fetchTopicOffsets(admin, topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    for (const end of ends) lag += Math.max(0, Number(end.high) - Math.max(Number(end.low), done.get(end.partition) ?? -1));
  }
  return lag;
}
