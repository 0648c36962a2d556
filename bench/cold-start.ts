import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { runServerless } from '../src/harness/local/serverless-cli.js';
import { bundleIsolated, importTimes } from './lib/bundle.js';
import { machineLine } from './lib/report.js';
import { formatNumber } from './lib/stats.js';

/** Options of {@link benchColdStart}. */
export interface ColdStartBenchOptions {
  readonly smoke?: boolean;
}

/**
 * Issue 8's cold-start benchmark: each function bundle exactly as
 * `serverless package` builds it, imported in fresh processes from a folder
 * with no node_modules, next to kafkajs alone and a naive bundle of kafkajs +
 * client-kafka + signer + middy + zod (everything bundled, nothing external).
 */
export async function benchColdStart(options: ColdStartBenchOptions = {}): Promise<{ markdown: string; ratios: Record<string, number> }> {
  const runs = options.smoke ? 2 : 15;
  const out = mkdtempSync(join(tmpdir(), 'klr-package-'));
  const packaged = await runServerless(['package', '--package', out]);
  if (packaged.code !== 0) throw new Error(`serverless package failed: ${packaged.stderr}`);

  const rows: Array<{ name: string; bytes: number; gzip: number; median: number; min: number; max: number }> = [];
  // The JSON functions first (the targets apply to them), then the Avro one (avsc in the bundle, evaluated at its first record).
  const jsonFunctions = ['validateOrders', 'reserveStock', 'notifyCustomers'];
  for (const fn of [...jsonFunctions, 'recordPayments']) {
    const dir = mkdtempSync(join(tmpdir(), `klr-${fn}-`));
    execFileSync('unzip', ['-q', join(out, `${fn}.zip`), '-d', dir]);
    const file = execFileSync('sh', ['-c', `ls ${dir}/functions/*.mjs`], { encoding: 'utf8' }).trim();
    const isolated = join(mkdtempSync(join(tmpdir(), 'klr-isolated-')), 'handler.mjs');
    copyFileSync(file, isolated);
    const times = importTimes(isolated, runs);
    rows.push({
      name: `${fn} (serverless package)`,
      bytes: statSync(isolated).size,
      gzip: gzipSync(readFileSync(isolated)).length,
      ...times,
    });
  }
  const floor = await bundleIsolated(fileURLToPath(new URL('./entries/kafkajs-only.ts', import.meta.url)));
  const floorTimes = importTimes(floor.file, runs);
  rows.push({ name: 'kafkajs alone', bytes: floor.bytes, gzip: floor.gzipBytes, ...floorTimes });
  const naiveFile = join(mkdtempSync(join(tmpdir(), 'klr-naive-')), 'naive.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./entries/naive.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    outfile: naiveFile,
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
  });
  const naiveTimes = importTimes(naiveFile, runs);
  rows.push({
    name: 'naive: kafkajs + client-kafka + signer + middy + zod',
    bytes: statSync(naiveFile).size,
    gzip: gzipSync(readFileSync(naiveFile)).length,
    ...naiveTimes,
  });

  const ratios: Record<string, number> = {};
  for (const row of rows.slice(0, 4)) ratios[row.name.split(' ')[0] as string] = row.median / floorTimes.median;
  const markdown = [
    '## Cold start: the packaged functions (issue 8)',
    '',
    `Command: \`npm run bench -- cold-start\` · ${machineLine()} · each bundle imported in ${runs} fresh \`node\` processes from a folder with no node_modules (median, min–max); the function bundles are the ones \`serverless package\` writes (ESM, minified, \`@aws-sdk/*\` left to the runtime). Node ${process.version} here; Lambda runs nodejs22.x on arm64, so absolute times differ there. Load average at the end ${loadavg()[0]?.toFixed(1)}.`,
    '',
    '| bundle | bytes | gzip | import ms | min–max | vs kafkajs alone |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${formatNumber(r.bytes)} | ${formatNumber(r.gzip)} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)}–${r.max.toFixed(1)} | ${(r.median / floorTimes.median).toFixed(2)}× |`,
    ),
    '',
    `Targets (the JSON functions): ≤ 400 KB per function (${rows.slice(0, jsonFunctions.length).every((r) => r.bytes <= 400 * 1024) ? 'met' : '**missed**'}); import ≤ 1.3× kafkajs alone for functions that do not use IAM (${jsonFunctions.every((fn) => (ratios[fn] ?? Number.POSITIVE_INFINITY) <= 1.3) ? 'met' : '**missed**'}). recordPayments decodes Avro: its bundle carries avsc's types-only build, evaluated at its first record, not at import. The example functions are configured for IAM (\`KAFKA_AUTH=iam\`), but the SigV4 signing code and the AWS SDK load only on the first IAM connection, not at import.`,
  ].join('\n');
  return { markdown, ratios };
}
