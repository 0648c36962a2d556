import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { useKafkaCluster } from '../src/harness/local/broker/cluster.js';
import { bundleIsolated } from './lib/bundle.js';
import { benchEvent } from './lib/fixtures.js';
import { machineLine } from './lib/report.js';
import { formatNumber, type Sample, summarize } from './lib/stats.js';

/** Options of {@link benchFirstInvocation}. */
export interface FirstInvocationBenchOptions {
  readonly smoke?: boolean;
}

// The child: import the bundle (init), then call its handler once (the first invocation), timed separately.
const CHILD = `const e=JSON.parse(await (await import('node:fs/promises')).readFile(process.env.EVENT_FILE,'utf8'));
const t0=performance.now();const m=await import(process.env.BUNDLE);const t1=performance.now();
await m.handler(e,{getRemainingTimeInMillis:()=>60000,awsRequestId:'first'});const t2=performance.now();
process.stdout.write(JSON.stringify({init:t1-t0,invoke:t2-t1}));process.exit(0);`;

/**
 * Issue 26 item 2, plaintext only: a fresh process imports a bundled handler (init) and runs its first
 * invocation (10 records, producer connect included), ours with and without connecting in init, against
 * kafkajs alone doing the same connect and send; fresh processes interleaved.
 */
export async function benchFirstInvocation(
  options: FirstInvocationBenchOptions = {},
): Promise<{ markdown: string; ratios: Record<string, number> }> {
  const runs = options.smoke ? 1 : 9;
  const load = loadavg()[0] ?? Number.NaN;
  const cluster = await useKafkaCluster({ fastStart: false, log: () => undefined });
  const topic = `bench-first-${Date.now()}`;
  const admin = new Kafka({ brokers: [...cluster.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
  await admin.disconnect();
  const eventFile = join(tmpdir(), `first-invocation-${process.pid}.json`);
  writeFileSync(eventFile, JSON.stringify(benchEvent(10, 4, 230)));
  const ours = await bundleIsolated(fileURLToPath(new URL('./entries/first-invoke-ours.ts', import.meta.url)));
  const floor = await bundleIsolated(fileURLToPath(new URL('./entries/first-invoke-kafkajs.ts', import.meta.url)));
  const variants = {
    'ours, connect at the first flush (default)': { bundle: ours.file, preconnect: '0' },
    'ours, preConnect + await publisher.connect() in init': { bundle: ours.file, preconnect: '1' },
    'kafkajs alone, connect at the first send': { bundle: floor.file, preconnect: '0' },
    'kafkajs alone, connect in init': { bundle: floor.file, preconnect: '1' },
  };
  const times = new Map(Object.keys(variants).map((name) => [name, { init: [] as number[], invoke: [] as number[] }]));
  for (let run = 0; run < runs; run++) {
    for (const [name, variant] of Object.entries(variants)) {
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          BUNDLE: variant.bundle,
          EVENT_FILE: eventFile,
          PRECONNECT: variant.preconnect,
          OUT_TOPIC: topic,
          KAFKA_BROKERS: cluster.brokers.join(','),
        },
      });
      if (child.status !== 0) throw new Error(`${name}: the child failed (${child.stderr.slice(0, 400)})`);
      const { init, invoke } = JSON.parse(child.stdout) as { init: number; invoke: number };
      times.get(name)?.init.push(init);
      times.get(name)?.invoke.push(invoke);
    }
  }
  await cluster.stop();
  const rows: Array<[string, Sample, Sample, Sample]> = [...times].map(([name, t]) => [
    name,
    summarize(t.init),
    summarize(t.invoke),
    summarize(t.init.map((init, i) => init + (t.invoke[i] as number))),
  ]);
  const total = (name: string) => rows.find(([n]) => n === name)?.[3].median ?? Number.NaN;
  const invoke = (name: string) => rows.find(([n]) => n === name)?.[2].median ?? Number.NaN;
  const names = Object.keys(variants);
  const ratios = {
    'ours/kafkajs init+first invoke': total(names[0] as string) / total(names[2] as string),
    'ours preconnect/kafkajs preconnect first invoke': invoke(names[1] as string) / invoke(names[3] as string),
  };
  const ms = (s: Sample) => `${s.median.toFixed(1)} [${s.min.toFixed(0)}–${s.max.toFixed(0)}]`;
  const markdown = [
    '## First invocation: import + init + first invoke with the producer connect (issue 26)',
    '',
    `Command: \`npm run bench -- first-invocation\` · ${machineLine()} · load average ${load.toFixed(1)} at the start (shared 2 cores: noisy) · local Apache Kafka broker, **plaintext** · esbuild ESM bundles (minified) imported from an empty folder in a fresh process each run, ${runs} runs per variant interleaved · event: 10 records of ~230 bytes, each published once (acks=all, idempotent) · ms, median [min–max]`,
    '',
    `Bundles: ours ${formatNumber(ours.bytes)} bytes (${formatNumber(ours.gzipBytes)} gzip), kafkajs alone ${formatNumber(floor.bytes)} bytes (${formatNumber(floor.gzipBytes)} gzip).`,
    '',
    '| variant | init (import, + connect when pre-connecting) | first invocation | init + first invocation |',
    '|---|---:|---:|---:|',
    ...rows.map(([name, init, inv, sum]) => `| ${name} | ${ms(init)} | ${ms(inv)} | ${ms(sum)} |`),
    '',
    `Ratios: ours ÷ kafkajs alone, init + first invocation, connect at first use: ${ratios['ours/kafkajs init+first invoke'].toFixed(2)}×; first invocation after connecting in init, ours ÷ kafkajs: ${ratios['ours preconnect/kafkajs preconnect first invoke'].toFixed(2)}×.`,
    '',
    'Not measured yet: SCRAM over TLS (the broker harness has a SASL_SSL listener; the bench does not drive it yet) and IAM token signing.',
  ].join('\n');
  return { markdown, ratios };
}
