import { resolve } from 'node:path';
import type { TraceExport } from '../../local/trace-target.js';
import type { CommandRegistration } from '../command.js';
import { traceExport, wholeNumber } from '../command.js';
import { CliError } from '../errors.js';
import { listenForStopRequests } from '../lifecycle.js';
import { createOutput } from '../output.js';
import { locateService } from '../service.js';
import { statusLines, summarizeStats } from '../status.js';

interface DemoOptions {
  readonly config?: string;
  readonly stage?: string;
  readonly count: number;
  readonly samples?: string;
  readonly timeout: number;
  readonly json?: boolean;
  readonly traces?: TraceExport;
}

/** `demo`: sample records through every function of the user's service, on a real broker, until drained. */
export const registerDemo: CommandRegistration = (program) => {
  program
    .command('demo')
    .description('send sample records through your functions on a local Kafka, and summarize')
    .option('-c, --config <file>', 'serverless config file (default: the nearest serverless.yml)')
    .option('-s, --stage <stage>', 'stage to resolve serverless.yml with')
    .option('-n, --count <n>', 'records to send to each topic that starts the pipeline', wholeNumber(1), 100)
    .option('--samples <file>', 'JSON file of sample values, { "<topic>": [value, …] } (default: built from the routes’ schemas)')
    .option('--timeout <seconds>', 'give up waiting for the pipeline to drain after this long', wholeNumber(1), 120)
    .option('--json', 'print the summary {"drained","topics","functions",…} as JSON')
    .option(
      '--traces <exporter>',
      'export the functions’ OpenTelemetry spans: console, otlp (to OTEL_EXPORTER_OTLP_ENDPOINT) or otlp=<url> (needs @opentelemetry/sdk-trace-base; otlp also @opentelemetry/exporter-trace-otlp-http)',
      traceExport,
    )
    .addHelpText('after', '\nExits 0 once every consumer group has caught up, 1 if the pipeline did not drain in time or was stopped.')
    .action((options: DemoOptions) => demo(options));
};

async function demo(options: DemoOptions): Promise<void> {
  const out = createOutput({ json: options.json === true, prefix: 'demo' });
  const service = locateService(options);
  const stop = listenForStopRequests();
  stop.requested.then((reason) => out.progress(`stopping (${reason})…`));
  const [{ runServiceDemo }, { readSamplesFile }] = await Promise.all([
    import('../../local/demo.js'),
    import('../../local/samples/route-samples.js'),
  ]);
  const stopTraces = options.traces ? await (await import('../../local/trace-export.js')).exportTraces(options.traces) : undefined;
  const result = await runServiceDemo({
    service,
    count: options.count,
    timeoutMs: options.timeout * 1000,
    signal: stop.signal,
    progress: (line) => out.progress(line),
    ...(options.samples ? { samples: readSamplesFile(resolve(options.samples)) } : {}),
  }).finally(async () => {
    stop.dispose();
    await stopTraces?.();
  });

  const functions = summarizeStats(result.stats);
  const records = Object.values(functions).reduce((sum, fn) => sum + fn.records, 0);
  out.result({
    drained: result.drained,
    stoppedBy: result.stoppedBy ?? null,
    brokers: result.brokers,
    elapsedMs: result.elapsedMs,
    entryTopics: result.entryTopics.map(({ values, plain, ...topic }) => ({ ...topic, records: values.length })),
    topics: result.topics,
    functions,
    routes: Object.fromEntries(result.routes),
  });
  out.info('');
  out.info(`  ${'topic'.padEnd(32)}records added`);
  for (const [topic, added] of Object.entries(result.topics)) out.info(`  ${topic.padEnd(32)}${added}`);
  out.info('');
  for (const line of statusLines(functions)) out.info(line);
  out.info('');
  out.info(
    `  ${'route'.padEnd(24)}${['in', 'handled', 'dead-lettered', 'failed', 'skipped', 'published'].map((h) => h.padStart(14)).join('')}`,
  );
  for (const [route, c] of result.routes) {
    const cells = [c.RecordsIn, c.RecordsHandled, c.RecordsDeadLettered, c.RecordsFailed, c.RecordsSkipped, c.OutputsPublished];
    out.info(`  ${route.padEnd(24)}${cells.map((n) => String(n).padStart(14)).join('')}`);
  }
  out.info('');
  for (const topic of result.entryTopics) if (topic.problem) out.info(`  warning: samples for ${topic.topic} ${topic.problem}`);
  out.info(`  ${records} record deliveries in ${(result.elapsedMs / 1000).toFixed(1)} s`);
  if (result.stoppedBy) throw new CliError('PIPELINE_UNSETTLED', `demo stopped (${result.stoppedBy}) before the pipeline drained`);
  if (!result.drained) throw new CliError('PIPELINE_UNSETTLED', `the pipeline did not drain within ${options.timeout} s`);
  out.info('  ✔ drained: every consumer group caught up with its topic');
}
