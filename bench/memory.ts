import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { useKafkaCluster } from '../src/harness/local/broker/cluster.js';
import { benchEvent } from './lib/fixtures.js';
import { machineLine } from './lib/report.js';

const LIMIT = 6 * 2 ** 20; // Lambda's invocation payload limit

/** The largest event of `shape` whose JSON stays under the limit: many ~1 KB records, or 8 large ones. */
function sixMegabyteEvent(shape: string): { text: string; records: number } {
  const build = (scale: number) =>
    shape === 'small'
      ? JSON.stringify(benchEvent(Math.floor(4_000 * scale), 4, 1_000))
      : JSON.stringify(benchEvent(8, 4, Math.floor(600_000 * scale)));
  const first = build(1);
  const scale = (LIMIT * 0.98) / Buffer.byteLength(first);
  const text = build(scale);
  return { text, records: shape === 'small' ? Math.floor(4_000 * scale) : 8 };
}

/** Options of {@link benchMemory}. */
export interface MemoryBenchOptions {
  readonly smoke?: boolean;
}

interface ChildResult {
  shape: string;
  records: number;
  eventMb: number;
  baselineRssMb: number;
  peakRssMb: number;
}

/**
 * Issue 26 item 3: peak RSS above the process baseline for one ~6 MB event (Lambda's invocation payload limit),
 * of many small records and of few large ones, published to the real broker, against 2.5× the event size.
 * Each shape runs in a fresh process (`bench/entries/memory-child.ts`).
 */
export async function benchMemory(options: MemoryBenchOptions = {}): Promise<{ markdown: string; ratios: Record<string, number> }> {
  const load = loadavg()[0] ?? Number.NaN;
  const cluster = await useKafkaCluster({ fastStart: false, log: () => undefined });
  const topic = `bench-memory-${Date.now()}`;
  const admin = new Kafka({ brokers: [...cluster.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  // Large records: let the topic take a batch of them.
  await admin.createTopics({
    topics: [{ topic, numPartitions: 4, configEntries: [{ name: 'max.message.bytes', value: String(64 * 2 ** 20) }] }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const child = fileURLToPath(new URL('./entries/memory-child.ts', import.meta.url));
  const shapes = options.smoke ? ['small'] : ['small', 'large'];
  const results = shapes.map((shape) => {
    const { text, records } = sixMegabyteEvent(shape);
    const eventFile = join(tmpdir(), `memory-${shape}-${process.pid}.json`);
    writeFileSync(eventFile, text);
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, eventFile, topic], {
      encoding: 'utf8',
      env: { ...process.env, KAFKA_BROKERS: cluster.brokers.join(',') },
      maxBuffer: 1 << 20,
    });
    if (run.status !== 0) throw new Error(`memory child (${shape}) failed: ${run.stderr.slice(0, 600)}`);
    const measured = JSON.parse(run.stdout) as Pick<ChildResult, 'baselineRssMb' | 'peakRssMb'>;
    return { ...measured, shape, records, eventMb: Buffer.byteLength(text) / 2 ** 20 };
  });
  await cluster.stop();
  const ratios: Record<string, number> = {};
  for (const r of results) ratios[`${r.shape} peak above baseline / event`] = (r.peakRssMb - r.baselineRssMb) / r.eventMb;
  const markdown = [
    '## Memory at 6 MB events (issue 26)',
    '',
    `Command: \`npm run bench -- memory\` · ${machineLine()} · load average ${load.toFixed(1)} at the start · one fresh process per shape; the event's JSON text is built by the parent and read from a file by the child, as the runtime receives it; a route publishes each record to the real local broker (acks=all, idempotent). Baseline: RSS with the publisher connected and no event yet; peak: the process's \`maxRSS\`, so it includes the event's JSON text, the parsed event, decoded buffers, the outbox and kafkajs's encode buffers.`,
    '',
    '| shape | records | event JSON | baseline RSS | peak RSS | peak above baseline | ÷ event size | target ≤ 2.5× |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map((r) => {
      const above = r.peakRssMb - r.baselineRssMb;
      return `| ${r.shape === 'small' ? 'many small records (~1 KB)' : '8 large records (~560 KB)'} | ${r.records.toLocaleString('en-US')} | ${r.eventMb.toFixed(2)} MB | ${r.baselineRssMb.toFixed(0)} MB | ${r.peakRssMb.toFixed(0)} MB | ${above.toFixed(1)} MB | ${(above / r.eventMb).toFixed(2)}× | ${above / r.eventMb <= 2.5 ? 'met' : '**missed**'} |`;
    }),
    '',
    'Where the copies are has not been broken down yet: RSS also holds garbage not yet collected, so the peak is an upper bound on what the copies need.',
  ].join('\n');
  return { markdown, ratios };
}
