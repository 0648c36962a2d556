import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { context, trace } from '@opentelemetry/api';
import type { Context } from 'aws-lambda';
import { build } from 'esbuild';
import { parseKafkaEvent } from '../src/runtime/event/parse.js';
import { createKafkaHandler, createRouter, defineRoute, silentLogger } from '../src/runtime/index.js';
import { toBatchResponse } from '../src/runtime/lambda/response.js';
import { dispatch } from '../src/runtime/router/dispatch.js';
import { benchEvent } from './lib/fixtures.js';
import { machineLine } from './lib/report.js';
import { formatNumber, type MedianInterval, measureInterleaved, medianInterval, pairedRatios } from './lib/stats.js';

/** Options of {@link benchTracing}. */
export interface TracingBenchOptions {
  readonly smoke?: boolean;
}

const lambda = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'bench' } as unknown as Context;

/**
 * Issue 25's benchmark: (a) the handler as shipped (tracing compiled in, no
 * provider registered) against (b) the same router dispatched with tracing
 * never started (parse → dispatch → response, as the handler does minus
 * startInvocation and middy), interleaved on one 1,000-record event; then (c)
 * the handler with the SDK's in-memory exporter registered (cost per record);
 * and the import time of @opentelemetry/api in a fresh node process.
 */
export async function benchTracing(options: TracingBenchOptions = {}): Promise<{ markdown: string; ratios: Record<string, number> }> {
  const event = benchEvent();
  const records = Object.values(event.records).flat().length;
  let sink = 0;
  const router = createRouter({
    routes: [
      defineRoute({
        topic: 'orders',
        handle: (value: unknown) => {
          sink ^= (value as { id: number }).id;
        },
      }),
    ],
    unmatched: 'fail',
    logger: silentLogger,
  });
  const handler = createKafkaHandler(router);
  const shipped = {
    name: '(a) handler, tracing compiled in, no provider',
    run: async () => {
      await handler(event, lambda);
      return records;
    },
  };
  const untraced = {
    name: '(b) parse + dispatch + response, tracing never started',
    run: async () => {
      const report = await dispatch(router, parseKafkaEvent(event), { lambda });
      toBatchResponse(report.failures);
      return records;
    },
  };
  // The A/A control: (b) again under another name. Its ratio to (b) is what the method reads when there is no
  // difference, so it shows the run's noise floor next to (a)/(b).
  const control = { ...untraced, name: "(b') the same as (b), a second copy (A/A control)" };
  // Many short rounds rather than few long ones: the interval of the median ratio narrows with the round count.
  const settings = options.smoke ? { warmup: 2, samples: 3, passes: 1 } : { warmup: 10, samples: 61, passes: 6 };
  const off = await measureInterleaved([shipped, untraced, control], settings);
  const offRatio = medianInterval(pairedRatios(off.get(shipped.name), off.get(untraced.name)));
  const controlRatio = medianInterval(pairedRatios(off.get(control.name), off.get(untraced.name)));

  // The SDK is a dev dependency: loaded here only, never by the runtime.
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  const traced = {
    name: '(c) handler with the in-memory exporter registered',
    run: async () => {
      await handler(event, lambda);
      exporter.reset();
      return records;
    },
  };
  let on: Awaited<ReturnType<typeof measureInterleaved>>;
  try {
    on = await measureInterleaved([traced, untraced], settings);
  } finally {
    await provider.shutdown();
    trace.disable();
    context.disable();
  }
  const perRecordOn = (on.get(traced.name)?.median ?? Number.NaN) - (on.get(untraced.name)?.median ?? Number.NaN);
  if (sink === 0.5) console.log(sink);

  const importMs = (script: string) => {
    const runs = options.smoke ? 3 : 15;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      times.push(Number(out.trim()));
    }
    times.sort((x, y) => x - y);
    return times[Math.floor(times.length / 2)] as number;
  };
  const apiImport = importMs("const t = performance.now(); await import('@opentelemetry/api'); console.log(performance.now() - t);");
  // What a function bundle pays: the API bundled and minified into one ESM file, as serverless-esbuild does.
  const bundleDir = mkdtempSync(join(tmpdir(), 'klr-otel-api-'));
  const bundled = join(bundleDir, 'api.mjs');
  await build({
    stdin: { contents: "export * from '@opentelemetry/api';", resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    outfile: bundled,
  });
  const bundledBytes = statSync(bundled).size;
  const bundledImport = importMs(
    `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundled).href)}); console.log(performance.now() - t);`,
  );
  rmSync(bundleDir, { recursive: true, force: true });
  const nothing = importMs("const t = performance.now(); await import('node:path'); console.log(performance.now() - t);");

  const row = (name: string, s: { median: number; min: number; max: number } | undefined) =>
    `| ${name} | ${formatNumber(s?.median ?? Number.NaN)} | ${formatNumber(s?.min ?? Number.NaN)}–${formatNumber(s?.max ?? Number.NaN)} |`;
  const markdown = [
    '## Tracing: overhead off and on (issue 25)',
    '',
    `Command: \`npm run bench -- tracing\` · ${machineLine()} · ${settings.samples} samples × ${settings.passes} passes after ${settings.warmup} warm-up passes, interleaved`,
    '',
    `Event: ${records} records over 4 partitions, no-op route, no outputs.`,
    '',
    '| variant | ns/record (median) | min–max |',
    '|---|---:|---:|',
    row(shipped.name, off.get(shipped.name)),
    row(untraced.name, off.get(untraced.name)),
    row(control.name, off.get(control.name)),
    row(traced.name, on.get(traced.name)),
    row(`${untraced.name} (beside c)`, on.get(untraced.name)),
    '',
    '| figure | measured | target | met |',
    '|---|---:|---:|---|',
    `| (a) / (b), median of ${offRatio.n} paired rounds [95 % interval]: tracing off vs never started | ${interval(offRatio)} | ≤ 1.03× | ${verdict(offRatio, 1.03)} |`,
    `| (b') / (b), the A/A control: what the method reads for no difference | ${interval(controlRatio)} | 1× | – |`,
    `| (c) − (b): cost of a recorded record span (in-memory exporter) | ${formatNumber(perRecordOn)} ns/record | – | – |`,
    `| import of @opentelemetry/api from node_modules in a fresh process (median) | ${apiImport.toFixed(1)} ms (node:path: ${nothing.toFixed(1)} ms) | – | – |`,
    `| import of @opentelemetry/api bundled and minified (${(bundledBytes / 1024).toFixed(1)} KiB), fresh process (median) | ${bundledImport.toFixed(1)} ms | – | – |`,
  ].join('\n');
  return {
    markdown,
    ratios: {
      'a/b': offRatio.median,
      'a/b low': offRatio.low,
      'a/b high': offRatio.high,
      "b'/b": controlRatio.median,
      perRecordOnNs: perRecordOn,
      bundledImportMs: bundledImport,
    },
  };
}

const interval = (ratio: MedianInterval) => `${ratio.median.toFixed(3)}× [${ratio.low.toFixed(3)}–${ratio.high.toFixed(3)}]`;

/** Met only when the whole interval is within the target, missed only when the whole interval is above it. */
function verdict(ratio: MedianInterval, target: number): string {
  if (ratio.high <= target) return 'yes';
  if (ratio.low > target) return '**no**';
  return 'not settled (the interval spans the target)';
}
