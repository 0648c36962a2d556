import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { jsonLogger } from '../../../runtime/router/logger.js';
import { useKafkaCluster } from '../broker/cluster.js';
import { clearDevBrokers, saveDevBrokers } from '../dev-state.js';
import { startEmulator } from '../emulator/emulator.js';
import { loadLocalFunctions, type ReloadableFunction } from '../emulator/functions.js';
import { percentile } from '../percentiles.js';
import { localRegistryFor } from '../registry/for-functions.js';
import { ensureTopics } from '../topics.js';

// `npm run dev [-- --stage <stage>]`: the local broker (or KAFKA_BROKERS), the app's topics, and every
// function of serverless.yml driven by the ESM emulator; code reloads on change; Ctrl-C stops it all.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const stageFlag = process.argv.indexOf('--stage');
const stage = stageFlag >= 0 ? process.argv[stageFlag + 1] : undefined;
const say = (line: string) => process.stdout.write(`${line}\n`);

const cluster = await useKafkaCluster({ log: (line) => say(`[kafka] ${line}`) });
process.env.KAFKA_BROKERS = cluster.brokers.join(',');
saveDevBrokers(cluster.brokers);
const loaded = (await loadLocalFunctions({ reloadable: true, ...(stage ? { stage } : {}) })) as ReloadableFunction[];
// Event sources with a schemaRegistry get the local registry (started only then).
const { functions, registry } = await localRegistryFor(loaded, { log: (line) => say(`[registry] ${line}`) });
const admin = new Kafka({ clientId: 'dev', brokers: [...cluster.brokers], logLevel: logLevel.NOTHING }).admin();
await admin.connect();
const created = await ensureTopics(
  admin,
  functions.flatMap((fn) => fn.topics),
  3,
);
await admin.disconnect();
const emulator = await startEmulator({ brokers: cluster.brokers, functions, logger: jsonLogger('warn') });
say(`dev: ${functions.length} function(s) on ${cluster.brokers.join(',')}${created.length ? `; created ${created.join(', ')}` : ''}`);
say(`dev: ready. Try: npm run produce -- orders.placed '{"orderId":"o-1",…}'   (Ctrl-C stops)`);

// Reload every function when code changes (debounced): a fresh module graph, in this process.
let reloadTimer: NodeJS.Timeout | undefined;
const watchers: FSWatcher[] = ['functions', 'src'].map((dir) =>
  watch(join(ROOT, dir), { recursive: true }, (_event, file) => {
    if (!file || !/\.(ts|js|mjs|json)$/.test(String(file))) return;
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(async () => {
      try {
        await Promise.all(functions.map((fn) => fn.reload()));
        say(`dev: reloaded after a change to ${dir}/${file}`);
      } catch (error) {
        say(`dev: reload failed, keeping the previous code: ${error instanceof Error ? error.message : String(error)}`);
      }
    }, 200);
  }),
);

// Status: a line per function, redrawn in a terminal, logged when it changes otherwise.
const tty = process.stdout.isTTY === true;
let lastPlain = '';
let drawn = 0;
const status = setInterval(
  () => {
    const lines = [...emulator.stats].map(([name, s]) => {
      const p50 = percentile(s.durationsMs, 50);
      return `  ${name.padEnd(18)} invocations ${s.invocations}  records ${s.records}  failed ${s.failures}  redelivered ${s.redeliveries}  p50 ${Number.isNaN(p50) ? '-' : `${p50.toFixed(1)} ms`}`;
    });
    if (tty) {
      process.stdout.write(`${drawn ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
      drawn = lines.length;
    } else if (lines.join('\n') !== lastPlain) {
      lastPlain = lines.join('\n');
      say(`dev: status\n${lastPlain}`);
    }
  },
  tty ? 500 : 2_000,
);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  say('\ndev: stopping…');
  clearInterval(status);
  for (const watcher of watchers) watcher.close();
  await emulator.stop();
  await registry?.close();
  await Promise.all(functions.map((fn) => fn.close()));
  clearDevBrokers();
  await cluster.stop();
  say('dev: stopped');
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
