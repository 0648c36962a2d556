import type { FunctionStats } from '../local/emulator/types.js';
import { percentile } from '../local/percentiles.js';

/** Per-function counters as plain numbers (for `--json`). */
export interface FunctionSummary {
  readonly invocations: number;
  readonly records: number;
  readonly failed: number;
  readonly redelivered: number;
  readonly sentToDestination: number;
  /** Records the filter criteria kept from the function (committed, never delivered). */
  readonly filteredOut: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/** The counters of every emulated function, JSON-friendly. */
export function summarizeStats(stats: ReadonlyMap<string, FunctionStats>): Record<string, FunctionSummary> {
  const round = (value: number) => (Number.isNaN(value) ? null : Math.round(value * 10) / 10);
  return Object.fromEntries(
    [...stats].map(([name, s]) => [
      name,
      {
        invocations: s.invocations,
        records: s.records,
        failed: s.failures,
        redelivered: s.redeliveries,
        sentToDestination: s.sentToDestination,
        filteredOut: s.filteredOut,
        p50Ms: round(percentile(s.durationsMs, 50)),
        p99Ms: round(percentile(s.durationsMs, 99)),
      },
    ]),
  );
}

/** One line per function: `name  invocations N  records N  failed N  redelivered N  p50 x ms`. */
export function statusLines(summary: Record<string, FunctionSummary>): string[] {
  const width = Math.max(12, ...Object.keys(summary).map((name) => name.length)) + 2;
  return Object.entries(summary).map(
    ([name, s]) =>
      `  ${name.padEnd(width)}invocations ${s.invocations}  records ${s.records}  failed ${s.failed}  redelivered ${s.redelivered}${s.filteredOut > 0 ? `  filtered out ${s.filteredOut}` : ''}  p50 ${s.p50Ms === null ? '-' : `${s.p50Ms.toFixed(1)} ms`}`,
  );
}
