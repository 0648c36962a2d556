import { runCleanups } from '../../local/cleanups.js';
import type { TraceExport } from '../../local/trace-target.js';
import type { CommandRegistration } from '../command.js';
import { collect, traceExport } from '../command.js';
import { listenForStopRequests } from '../lifecycle.js';
import { createOutput } from '../output.js';
import { locateService } from '../service.js';
import { statusLines, summarizeStats } from '../status.js';

interface DevOptions {
  readonly config?: string;
  readonly stage?: string;
  readonly watch?: string[] | false;
  readonly json?: boolean;
  readonly traces?: TraceExport;
}

/** `dev`: the service's functions under the local event source mapping emulator, reloaded on change. */
export const registerDev: CommandRegistration = (program) => {
  program
    .command('dev')
    .description("run your serverless.yml's functions against a local Kafka, reloaded on change")
    .option('-c, --config <file>', 'serverless config file (default: the nearest serverless.yml)')
    .option('-s, --stage <stage>', 'stage to resolve serverless.yml with')
    .option('-w, --watch <folder>', 'folder to watch for changes (repeatable; default: the service’s top-level source folders)', collect)
    .option('--no-watch', 'do not reload on changes')
    .option('--json', 'JSON lines on stdout: {"event":"ready"|"status"|"reloaded"|"stopped",…}')
    .option(
      '--traces <exporter>',
      'export the functions’ OpenTelemetry spans: console, otlp (to OTEL_EXPORTER_OTLP_ENDPOINT) or otlp=<url> (needs @opentelemetry/sdk-trace-base; otlp also @opentelemetry/exporter-trace-otlp-http)',
      traceExport,
    )
    .addHelpText(
      'after',
      '\nStarts a broker (or uses KAFKA_BROKERS), creates the topics the functions consume, publish to and dead-letter to,\n' +
        'and invokes each function in this process with real ESM events. Ctrl-C, SIGTERM or SIGHUP stops everything.',
    )
    .action((options: DevOptions) => runDev(options));
};

async function runDev(options: DevOptions): Promise<void> {
  const out = createOutput({ json: options.json === true, prefix: 'dev' });
  const service = locateService(options);
  const stop = listenForStopRequests();
  const [{ Kafka, logLevel }, { jsonLogger }, { useKafkaCluster }, devState, { startEmulator }, { loadLocalFunctions }, topics, watch] =
    await Promise.all([
      import('kafkajs'),
      import('../../../runtime/router/logger.js'),
      import('../../local/broker/cluster.js'),
      import('../../local/dev-state.js'),
      import('../../local/emulator/emulator.js'),
      import('../../local/emulator/functions.js'),
      import('../../local/topics.js'),
      import('../../local/watch.js'),
    ]);
  const cleanups: Array<() => unknown> = [];
  try {
    if (options.traces !== undefined) {
      const { exportTraces } = await import('../../local/trace-export.js');
      cleanups.push(await exportTraces(options.traces));
    }
    const cluster = await useKafkaCluster({ log: (line) => out.progress(line) });
    cleanups.push(() => cluster.stop());
    process.env.KAFKA_BROKERS = cluster.brokers.join(',');
    devState.saveDevBrokers(cluster.brokers);
    cleanups.push(() => devState.clearDevBrokers());
    if (stop.signal.aborted) return;

    out.progress(`loading the functions of ${service.file}`);
    const loaded = await loadLocalFunctions({ ...service, reloadable: true });
    cleanups.push(() => Promise.all(loaded.map((fn) => fn.close())));
    // Event sources with a schemaRegistry get the local registry (started only then).
    const { localRegistryFor } = await import('../../local/registry/for-functions.js');
    const { functions, registry } = await localRegistryFor(loaded, { log: (line) => out.progress(line) });
    if (registry) cleanups.push(() => registry.close());
    const admin = new Kafka({ clientId: 'dev', brokers: [...cluster.brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const created = await topics.ensureTopics(
      admin,
      functions.flatMap((fn) => fn.topics),
      3,
    );
    await admin.disconnect();
    if (stop.signal.aborted) return;
    const emulator = await startEmulator({ brokers: cluster.brokers, functions, logger: jsonLogger('warn') });
    cleanups.push(() => emulator.stop());

    const consumed = functions.flatMap((fn) => fn.eventSources.map((source) => source.topic));
    out.result({ event: 'ready', brokers: cluster.brokers, functions: functions.map((fn) => fn.name), topicsCreated: created });
    out.info(
      `dev: ${functions.length} function(s) on ${cluster.brokers.join(',')}${created.length ? `; created ${created.join(', ')}` : ''}`,
    );
    out.info(`dev: ready. Try: kafka-lambda-router produce ${consumed[0] ?? '<topic>'} '{"hello":"world"}'   (Ctrl-C stops)`);

    if (options.watch !== false) {
      const folders = options.watch?.length ? options.watch : watch.sourceFolders(service.cwd);
      const unwatch = watch.watchSources(folders, service.cwd, (file) => {
        Promise.all(functions.map((fn) => fn.reload())).then(
          () => {
            out.result({ event: 'reloaded', file });
            out.info(`dev: reloaded after a change to ${file}`);
          },
          (error: unknown) =>
            out.info(`dev: reload failed, keeping the previous code: ${error instanceof Error ? error.message : String(error)}`),
        );
      });
      cleanups.push(unwatch);
    }

    // Status: a line per function, redrawn in a terminal; otherwise logged when it changes.
    const tty = process.stdout.isTTY === true && !options.json;
    let last = '';
    let drawn = 0;
    const status = setInterval(
      () => {
        const summary = summarizeStats(emulator.stats);
        const lines = statusLines(summary);
        if (tty) {
          process.stdout.write(`${drawn ? `\x1b[${drawn}A` : ''}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
          drawn = lines.length;
        } else if (lines.join('\n') !== last) {
          last = lines.join('\n');
          out.result({ event: 'status', functions: summary });
          out.info(`dev: status\n${last}`);
        }
      },
      tty ? 500 : 2_000,
    );
    cleanups.push(() => clearInterval(status));

    const reason = await stop.requested;
    out.info(`\ndev: stopping (${reason})…`);
  } finally {
    try {
      await runCleanups(cleanups);
    } finally {
      stop.dispose();
    }
  }
  out.result({ event: 'stopped' });
  out.info('dev: stopped');
}
