import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { useKafkaCluster } from '../src/harness/local/broker/cluster.js';
import { createKafkaPublisher } from '../src/runtime/publish/kafka.js';
import { silentLogger } from '../src/runtime/router/logger.js';
import { BATCH_SIZES, brokerCases, cpuCases, type GrowthTopics } from './growth/cases.js';
import { conversionFloorPublisher, type GrowthCurve, type GrowthSettings, measureCurve } from './growth/measure.js';
import { growthPlots, writeGrowthPlots } from './growth/plot.js';
import { growthMarkdown } from './growth/report.js';
import { machineLine } from './lib/report.js';

/** Options of {@link benchGrowth}. */
export interface GrowthBenchOptions {
  readonly smoke?: boolean;
  /** Which curves to measure (default both): the CPU matrix, and the cases flushed to the real broker. */
  readonly parts?: ReadonlyArray<'cpu' | 'broker'>;
  /** Where the SVG plots go (default bench/plots; a temporary folder for a smoke run). */
  readonly plotDir?: string;
}

const PLOTS = fileURLToPath(new URL('./plots/', import.meta.url));

/**
 * Issue 26, item 4: how the per-record cost grows with the batch (1 to 10,000 records) and the partitions, for
 * record and batch routes, with and without dead letters, with 0 and 3 outputs per record; the ratio of the
 * per-record cost at 10,000 to that at 100 for every curve, and SVG plots of the curves.
 */
export async function benchGrowth(
  options: GrowthBenchOptions = {},
): Promise<{ markdown: string; ratios: Record<string, number>; curves: GrowthCurve[]; plots: string[] }> {
  const smoke = options.smoke ?? false;
  const parts = options.parts ?? ['cpu', 'broker'];
  const sizes: readonly number[] = smoke ? [1, 10, 40] : BATCH_SIZES;
  const reference = smoke ? 10 : 100;
  const settings: { cpu: GrowthSettings; broker: GrowthSettings } = smoke
    ? { cpu: { warmup: 0, samples: 1, recordsPerSample: 40 }, broker: { warmup: 0, samples: 1, recordsPerSample: 10 } }
    : { cpu: { warmup: 1, samples: 7, recordsPerSample: 2_000 }, broker: { warmup: 1, samples: 5, recordsPerSample: 200 } };
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const curves: GrowthCurve[] = [];

  if (parts.includes('cpu')) {
    const topics: GrowthTopics = { outputs: ['growth-a', 'growth-b', 'growth-c'], deadLetter: 'orders.DLT' };
    for (const c of cpuCases()) curves.push(await measureCurve(c, 'cpu', sizes, conversionFloorPublisher(), topics, settings.cpu));
  }
  if (parts.includes('broker')) curves.push(...(await brokerCurves(sizes, settings.broker)));

  const dir = options.plotDir ?? (smoke ? mkdtempSync(join(tmpdir(), 'klr-growth-plots-')) : PLOTS);
  const plots = writeGrowthPlots(growthPlots(curves), dir);
  const { markdown, ratios } = growthMarkdown({
    curves,
    sizes,
    reference,
    settings,
    machine: machineLine(),
    load: { before: loadBefore, after: loadavg()[0] ?? Number.NaN },
    plots: plots.map((file) => `plots/${basename(file)}`),
    smoke,
  });
  return { markdown, ratios, curves, plots };
}

/** The broker curves: topics made for the run, one warm publisher for every case, as one container would have. */
async function brokerCurves(sizes: readonly number[], settings: GrowthSettings): Promise<GrowthCurve[]> {
  const cluster = await useKafkaCluster({ fastStart: false, log: () => undefined });
  const stamp = Date.now();
  const topics: GrowthTopics = {
    outputs: ['a', 'b', 'c'].map((t) => `bench-growth-${t}-${stamp}`),
    deadLetter: `bench-growth-dlt-${stamp}`,
  };
  const admin = new Kafka({ clientId: 'bench-growth', brokers: [...cluster.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [...topics.outputs, topics.deadLetter].map((topic) => ({ topic, numPartitions: 4 })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  const publisher = createKafkaPublisher({ brokers: [...cluster.brokers], auth: { mechanism: 'plaintext' }, logger: silentLogger });
  try {
    const curves: GrowthCurve[] = [];
    for (const c of brokerCases()) curves.push(await measureCurve(c, 'broker', sizes, publisher, topics, settings));
    return curves;
  } finally {
    await publisher.close();
    await cluster.stop();
  }
}
