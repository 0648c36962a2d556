import type { SoakResult } from './soak-run.js';

/** The most memory may grow per 10,000 invocations after warm-up. */
export const MAX_MB_PER_10K = 1;
/** The most handles may grow after warm-up (a timer or socket in flight when sampled). */
export const MAX_HANDLE_GROWTH = 3;

/** True when memory stayed flat and handles did not pile up. */
export function soakPasses(result: SoakResult): boolean {
  return (
    result.slopes.heapUsed <= MAX_MB_PER_10K &&
    result.slopes.rss <= MAX_MB_PER_10K &&
    result.handles.maxLater - result.handles.afterWarmUp <= MAX_HANDLE_GROWTH
  );
}

const START = '<!-- soak:start -->';
const END = '<!-- soak:end -->';

/** The soak's section of RELIABILITY.md (Markdown, between markers the chaos report keeps). */
export function soakSection(result: SoakResult, command: string): string {
  const first = result.samples[0];
  const last = result.samples.at(-1);
  const { outcomes } = result;
  return `${START}
## Soak: one warm container, ${result.invocations.toLocaleString('en')} invocations

Written by \`${command}\` (\`test/reliability/soak.ts\`) on ${new Date().toISOString().slice(0, 10)}: **${soakPasses(result) ? 'flat' : 'FAILED'}**.
One handler (two routes, a Kafka publisher through toxiproxy to the suite's broker) invoked in-process with 8-record events: ${outcomes.handled.toLocaleString('en')} records handled, ${outcomes.deadLettered.toLocaleString('en')} dead-lettered, ${outcomes.failed.toLocaleString('en')} failed back to Lambda (partial batch responses), ${outcomes.flushFailures} flushes cut by the proxy, ${outcomes.connects} producer connects (each cut forces a reconnect); ${(result.durationMs / 1000).toFixed(0)} s. Memory sampled every 1,000 invocations after two forced GCs; the first 20% is warm-up.

| measure | first sample | last sample | growth after warm-up, MB per 10,000 invocations (limit ${MAX_MB_PER_10K}) |
|---|--:|--:|--:|
| heap used | ${first?.heapUsedMb.toFixed(1)} MB | ${last?.heapUsedMb.toFixed(1)} MB | ${result.slopes.heapUsed.toFixed(3)} |
| RSS | ${first?.rssMb.toFixed(1)} MB | ${last?.rssMb.toFixed(1)} MB | ${result.slopes.rss.toFixed(3)} |
| external + array buffers | ${first?.externalMb.toFixed(1)} MB | ${last?.externalMb.toFixed(1)} MB | ${result.slopes.external.toFixed(3)} |
| active handles (\`process.getActiveResourcesInfo()\`) | ${first?.activeResources} | ${last?.activeResources} | after warm-up ${result.handles.afterWarmUp}, at most ${result.handles.maxLater} later (limit +${MAX_HANDLE_GROWTH}) |

Handles at the end: ${Object.entries(result.handles.endTypes)
    .map(([type, count]) => `${type} ${count}`)
    .join(', ')}.
${END}`;
}

/** `report` with its soak section replaced by `section` (or appended). */
export function withSoakSection(report: string, section: string): string {
  const start = report.indexOf(START);
  const end = report.indexOf(END);
  if (start >= 0 && end > start) return `${report.slice(0, start)}${section}${report.slice(end + END.length)}`;
  return `${report.trimEnd()}${report ? '\n\n' : ''}${section}\n`;
}

/** The soak section already in `report`, if any (the chaos report keeps it when it rewrites the file). */
export function existingSoakSection(report: string): string | undefined {
  const start = report.indexOf(START);
  const end = report.indexOf(END);
  return start >= 0 && end > start ? report.slice(start, end + END.length) : undefined;
}
