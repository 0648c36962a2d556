import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineLine } from './lib/report.js';

/** Options of {@link benchBigBatch}. */
export interface BigBatchBenchOptions {
  readonly smoke?: boolean;
}

interface ChildResult {
  records: number;
  eventMb: number;
  outputs: number;
  elapsedMs: number;
  usPerRecord: number;
  peakRssMb: number;
  baselineRssMb: number;
  rssBeforeHandlerMb: number;
  rssAfterHandlerMb: number;
}

/** Issue 8's big-batch benchmark: peak RSS and time per record for one large invocation, each run in a fresh process. */
export async function benchBigBatch(options: BigBatchBenchOptions = {}): Promise<{ markdown: string; ratios: Record<string, number> }> {
  const child = fileURLToPath(new URL('./entries/big-batch-child.ts', import.meta.url));
  const sizes = options.smoke ? [500] : [1_000, 10_000];
  const results: ChildResult[] = sizes.map((records) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', child, String(records)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`big-batch child failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as ChildResult;
  });
  const largest = results[results.length - 1] as ChildResult;
  const markdown = [
    '## Big batches: one invocation, dispatch + outbox (issue 8)',
    '',
    `Command: \`npm run bench -- big-batch\` · ${machineLine()} · one fresh process per size (\`bench/entries/big-batch-child.ts\`); each record is ~1 KB of JSON over 8 partitions and fans out to 2 topics through the in-memory publisher. Peak RSS is the process's \`maxRSS\` and includes Node itself, tsx and the event's JSON text.`,
    '',
    '| records | event JSON | outputs | handler time | µs/record | peak RSS | RSS at start | RSS before the handler | RSS after it |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.records.toLocaleString('en-US')} | ${r.eventMb.toFixed(1)} MB | ${r.outputs.toLocaleString('en-US')} | ${r.elapsedMs.toFixed(0)} ms | ${r.usPerRecord.toFixed(1)} | ${r.peakRssMb.toFixed(0)} MB | ${r.baselineRssMb.toFixed(0)} MB | ${r.rssBeforeHandlerMb.toFixed(0)} MB | ${r.rssAfterHandlerMb.toFixed(0)} MB |`,
    ),
    '',
    `Target: peak RSS ≤ 256 MB for ${largest.records.toLocaleString('en-US')} records: ${largest.peakRssMb <= 256 ? 'met' : '**missed**'}. (A real ESM event is capped at 6 MB, so 10,000 records of 1 KB, ~${largest.eventMb.toFixed(0)} MB, is a stress case beyond what Lambda delivers.)`,
  ].join('\n');
  return { markdown, ratios: { peakRssMb: largest.peakRssMb, usPerRecord: largest.usPerRecord } };
}
