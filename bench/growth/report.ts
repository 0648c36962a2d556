import { caseName } from './cases.js';
import { type GrowthCurve, type GrowthSettings, growthRatio } from './measure.js';

/** The per-record cost at the largest batch may be at most this multiple of that at the reference batch. */
export const GROWTH_TARGET = 1.2;

/** What the report needs besides the curves. */
export interface GrowthReportInput {
  readonly curves: readonly GrowthCurve[];
  readonly sizes: readonly number[];
  /** The batch size the largest one is compared with (100 in a full run). */
  readonly reference: number;
  readonly settings: { readonly cpu: GrowthSettings; readonly broker: GrowthSettings };
  readonly machine: string;
  readonly load: { readonly before: number; readonly after: number };
  /** Plot files, relative to bench/RESULTS.md. */
  readonly plots: readonly string[];
  readonly smoke: boolean;
}

/** One ratio of the run: largest batch ÷ reference batch, per record, for one curve. */
export interface GrowthRatioRow {
  readonly label: string;
  readonly ratio: number;
  readonly met: boolean;
}

/** The growth ratio of every curve, in curve order. */
export function growthRatios(curves: readonly GrowthCurve[], largest: number, reference: number): GrowthRatioRow[] {
  return curves.map((curve) => {
    const ratio = growthRatio(curve, largest, reference);
    return { label: `${curve.sink} · ${caseName(curve.case)}`, ratio, met: ratio <= GROWTH_TARGET };
  });
}

const us = (ns: number | undefined) => (ns === undefined ? '–' : (ns / 1e3).toFixed(ns < 10_000 ? 2 : 1));
const count = (n: number) => n.toLocaleString('en-US');

function table(curves: readonly GrowthCurve[], sizes: readonly number[], largest: number, reference: number): string[] {
  return [
    `| case | ${sizes.map(count).join(' | ')} | ${count(largest)} ÷ ${count(reference)}, paired | ≤ ${GROWTH_TARGET}× |`,
    `|---|${sizes.map(() => '---:').join('|')}|---:|---|`,
    ...curves.map((curve) => {
      const ratio = growthRatio(curve, largest, reference);
      const cells = sizes.map((size) => us(curve.points.get(size)?.median));
      return `| ${caseName(curve.case)} | ${cells.join(' | ')} | ${ratio.toFixed(2)}× | ${ratio <= GROWTH_TARGET ? 'yes' : '**no**'} |`;
    }),
  ];
}

/** The bench/RESULTS.md section: how it was run, the µs-per-record tables with their ratios, and the plots. */
export function growthMarkdown(input: GrowthReportInput): { markdown: string; ratios: Record<string, number> } {
  const { curves, sizes, reference, settings } = input;
  const largest = Math.max(...sizes);
  const rows = growthRatios(curves, largest, reference);
  const ratios = Object.fromEntries(rows.map((row) => [`${row.label} ${largest}/${reference}`, row.ratio]));
  const misses = rows.filter((row) => !row.met);
  const cpu = curves.filter((c) => c.sink === 'cpu');
  const broker = curves.filter((c) => c.sink === 'broker');
  const lines = [
    '## How cost grows: per-record cost by batch size (issue 26)',
    '',
    `Command: \`npm run bench -- growth\` · ${input.machine} · load average ${input.load.before.toFixed(1)} before, ${input.load.after.toFixed(1)} after (2 cores, shared: noisy)`,
    '',
    `Timed: the whole Lambda handler per invocation (event parse, dispatch, JSON decode, zod/mini validation, a transform, outputs with the default lineage headers, dead letters, the flush), divided by its records. The event is the example app's ~230-byte JSON orders (\`bench/growth/cases.ts\`); with dead letters, 1 record in 10 fails validation for good and goes to the dead-letter topic (a batch of 1 has none). Each curve's batch sizes run interleaved, round by round, so the ${count(largest)} ÷ ${count(reference)} ratio is the median of round-by-round ratios; small batches repeat invocations to fill a round.`,
    '',
  ];
  if (cpu.length > 0) {
    lines.push(
      `- **CPU curves** (${cpu.length} cases: record and batch routes × 1, 4, 16 partitions × dead letters off/on × 0 and 3 outputs): the outbox goes to a floor publisher that runs our own last step before kafkajs (the outbox grouped into kafkajs messages) and sends nothing, so everything timed is our code and the handler's. ${settings.cpu.samples} rounds after ${settings.cpu.warmup} warm-up, ≥ ${count(settings.cpu.recordsPerSample)} records per size per round.`,
    );
  }
  if (broker.length > 0) {
    lines.push(
      `- **Broker curves** (${broker.length} cases: record and batch routes × dead letters off/on, 4 partitions, 3 outputs): our Kafka publisher flushes each invocation to the real local Apache Kafka broker in one \`sendBatch\` (acks=all, idempotent; outputs to 3 topics × 4 partitions). ${settings.broker.samples} rounds after ${settings.broker.warmup} warm-up, ≥ ${count(settings.broker.recordsPerSample)} records per size per round. With 0 outputs and no dead letters nothing is sent, so the CPU curve is the whole cost; the input partition count does not change what is sent.`,
    );
  }
  if (cpu.length > 0)
    lines.push('', '### CPU: µs per record (median), by records per invocation', '', ...table(cpu, sizes, largest, reference));
  if (broker.length > 0) {
    lines.push(
      '',
      '### Flushed to the local broker: µs per record (median), by records per invocation',
      '',
      ...table(broker, sizes, largest, reference),
    );
  }
  lines.push(
    '',
    `Per-record cost at ${count(largest)} records within ${GROWTH_TARGET}× of that at ${count(reference)} (catches anything quadratic): ${rows.length - misses.length} of ${rows.length} curves${misses.length ? `; missed by ${misses.map((m) => `${m.label} (${m.ratio.toFixed(2)}×)`).join(', ')}` : ''}.`,
  );
  if (input.plots.length > 0) {
    lines.push(
      '',
      '### Plots',
      '',
      'SVG, drawn by Apache ECharts (server-side SVG renderer, offline) from this run; both axes logarithmic.',
      '',
    );
    for (const plot of input.plots) lines.push(`![${plot}](${plot})`, '');
  }
  if (input.smoke) lines.push('', '(smoke run: tiny batches and one round; the figures mean nothing)');
  return { markdown: lines.join('\n').trimEnd(), ratios };
}
