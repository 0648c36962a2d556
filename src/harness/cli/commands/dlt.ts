import type { Command } from 'commander';
import type { RedriveResult } from '../../local/dead-letters/redrive.js';
import type { CommandRegistration } from '../command.js';
import { wholeNumber } from '../command.js';
import { CliError } from '../errors.js';
import { toolKafka } from '../kafka-client.js';
import { listenForStopRequests } from '../lifecycle.js';
import { createOutput } from '../output.js';
import { toolRegistry } from '../tool-registry.js';
import { partitionList, topicRoles } from '../topic-context.js';

interface CommonOptions {
  readonly brokers?: string;
  readonly config?: string;
  readonly stage?: string;
  readonly registry?: string;
  readonly json?: boolean;
}

interface InspectOptions extends CommonOptions {
  readonly from: string;
  readonly partition?: number[];
  readonly max?: number;
}

interface RedriveCliOptions extends CommonOptions {
  readonly to?: string;
  readonly where?: string[];
  readonly since?: string;
  readonly until?: string;
  readonly offsetRange?: string;
  readonly dryRun?: boolean;
  readonly group?: string;
}

/** `dlt inspect` and `dlt redrive`: read a dead-letter topic grouped by failure, and send its records back after a fix. */
export const registerDlt: CommandRegistration = (program) => {
  const dlt = program.command('dlt').description('inspect a dead-letter topic, and redrive its records after a fix');
  const common = (command: Command) =>
    command
      .option('--registry <url>', 'schema registry for framed values (default: $SCHEMA_REGISTRY_URL, if set)')
      .option('-b, --brokers <list>', 'bootstrap servers (default: $KAFKA_BROKERS, else the running `dev` or `kafka` broker)')
      .option('-c, --config <file>', 'serverless config file (default: the nearest serverless.yml, if any)')
      .option('-s, --stage <stage>', 'stage to resolve serverless.yml with');
  common(
    dlt
      .command('inspect')
      .description('the dead letters grouped by exception class and message: counts, sources, first and last seen, a sample')
      .argument('<topic>', 'the dead-letter topic (<topic>.DLT)')
      .option('--from <position>', 'beginning, end, an offset, an ISO time or @<epoch ms>', 'beginning')
      .option('-p, --partition <list>', 'only these partitions (0 or 0,2)', partitionList)
      .option('-n, --max <n>', 'read at most this many dead letters', wholeNumber(1))
      .option('--json', 'print {"topic","total","groups":[{"exception","message","count","source","firstSeen","lastSeen","sample"}]}'),
  ).action((topic: string, options: InspectOptions) => inspect(topic, options));
  common(
    dlt
      .command('redrive')
      .description('send dead letters back to kafka_dlt-original-topic (or --to), keeping key, value and headers')
      .argument('<topic>', 'the dead-letter topic (<topic>.DLT)')
      .option('--to <topic>', 'send here instead of each record’s original topic')
      .option('--where <filter>', 'exception=<class name> or message=<text it contains> (repeatable, all must hold)', collectWhere)
      .option('--since <time>', 'only dead letters from this time (ISO or @<epoch ms>)')
      .option('--until <time>', 'only dead letters before this time')
      .option('--offset-range <from-to>', 'only these dead-letter offsets, inclusive (every partition)')
      .option('--dry-run', 'print what would be sent; send and commit nothing')
      .option('--group <id>', 'consumer group that remembers what was redriven (default: per topic, filter and target)')
      .option(
        '--json',
        'print {"groupId","sent","skipped","warnings","next":{partition:offset},"stoppedBy","remaining","inDoubt":[{"partition","offset","state"}],"error"}',
      )
      .addHelpText(
        'after',
        '\nEach record gets kafka_dlt-redrive-count (1, 2, …): one that fails again shows how often it came back.\n' +
          'Safe to stop and to run again: a record’s position is committed only after Kafka acknowledged its produce,\n' +
          'and the closing line says where it stopped. Records whose key or value was not valid base64 in the event\n' +
          '(x-dlt-not-base64) are sent as the text the dead letter carries, with a warning.',
      ),
  ).action((topic: string, options: RedriveCliOptions) => redrive(topic, options));
};

function collectWhere(value: string, previous: string[] = []): string[] {
  if (!/^(exception|message)=./.test(value))
    throw new CliError('USAGE', `--where ${value}: expected exception=<class name> or message=<text>`);
  return [...previous, value];
}

async function inspect(topic: string, options: InspectOptions): Promise<void> {
  const out = createOutput({ json: options.json === true, prefix: 'dlt' });
  const [{ parseStartPosition }, { topicDecoder }, { inspectDeadLetters }] = await Promise.all([
    import('../../local/records/start-position.js'),
    import('../../local/records/record-view.js'),
    import('../../local/dead-letters/inspect.js'),
  ]);
  const from = parseStartPosition(options.from);
  const registry = await toolRegistry(options.registry);
  const decoder = await topicDecoder(await topicRoles(topic, options), registry ? { registry } : {});
  const { kafka } = await toolKafka({ brokers: options.brokers, clientId: 'dlt-inspect', purpose: 'read from' });
  const stop = listenForStopRequests();
  const report = await inspectDeadLetters({
    kafka,
    topic,
    decoder,
    from,
    signal: stop.signal,
    ...(options.partition ? { partitions: options.partition } : {}),
    ...(options.max !== undefined ? { max: options.max } : {}),
  }).finally(() => stop.dispose());
  out.result(report);
  out.info(`${topic}: ${report.total} dead letter(s) in ${report.groups.length} group(s)`);
  for (const group of report.groups) {
    out.info('');
    out.info(`  ${group.count} × ${group.exception}: ${group.message}`);
    if (group.source)
      out.info(
        `    from ${group.source.topic} partition(s) ${group.source.partitions.join(',')}, offsets ${group.source.firstOffset}–${group.source.lastOffset}`,
      );
    out.info(
      `    first seen ${group.firstSeen}, last seen ${group.lastSeen}${group.redriven ? `; ${group.redriven} had been redriven before` : ''}`,
    );
    out.info(
      `    sample: ${JSON.stringify({ partition: group.sample.partition, offset: group.sample.offset, key: group.sample.key, value: group.sample.value })}`,
    );
  }
}

async function redrive(topic: string, options: RedriveCliOptions): Promise<void> {
  const out = createOutput({ json: options.json === true, prefix: 'dlt' });
  const [{ parseTime }, { redriveDeadLetters }] = await Promise.all([
    import('../../local/records/start-position.js'),
    import('../../local/dead-letters/redrive.js'),
  ]);
  const where = Object.fromEntries((options.where ?? []).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  const range = options.offsetRange?.match(/^(\d+)-(\d+)$/);
  if (options.offsetRange && !range)
    throw new CliError('USAGE', `--offset-range ${options.offsetRange}: expected <from>-<to>, such as 10-20`);
  const filter = {
    ...(where.exception ? { exception: where.exception } : {}),
    ...(where.message ? { message: where.message } : {}),
    ...(options.since ? { since: parseTime('--since', options.since) } : {}),
    ...(options.until ? { until: parseTime('--until', options.until) } : {}),
    ...(range ? { offsets: { from: Number(range[1]), to: Number(range[2]) } } : {}),
  };
  const { kafka } = await toolKafka({ brokers: options.brokers, clientId: 'dlt-redrive', purpose: 'redrive on' });
  const stop = listenForStopRequests();
  stop.requested.then((reason) => out.progress(`stopping after the record in flight (${reason})…`));
  const result = await redriveDeadLetters({
    kafka,
    topic,
    filter,
    signal: stop.signal,
    ...(options.to ? { to: options.to } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.group ? { groupId: options.group } : {}),
    onRecord: (event) => {
      const at = `${topic}[${event.record.partition}]@${event.record.offset}`;
      if (event.kind === 'skipped') out.progress(`${at}: skipped, ${event.reason}`);
      else {
        out.info(`${event.kind === 'sent' ? 'sent' : 'would send'} ${at} → ${event.to}`);
        if (event.warning) out.info(`  warning: ${at}: ${event.warning}`);
      }
    },
  }).finally(() => stop.dispose());
  const next = Object.fromEntries(result.next);
  out.result({ ...result, next });
  out.info(redriveClosingLine(result, options.dryRun === true));
  if (result.stoppedBy === 'error')
    throw new CliError('CONFIG', `dlt redrive stopped by an error: ${result.error ?? 'unknown'}; run it again to continue`);
}

/** The line a redrive ends with: what it sent, where it stopped, and what the next run may send again. */
export function redriveClosingLine(result: RedriveResult, dryRun: boolean): string {
  const positions = [...result.next].map(([p, o]) => `partition ${p} at offset ${o}`).join(', ');
  const how =
    result.stoppedBy === 'error'
      ? `stopped by an error (${result.error ?? 'unknown'})`
      : result.stoppedBy === 'signal' || result.stoppedBy === 'max'
        ? 'stopped early'
        : result.remaining
          ? `stopped waiting with ${result.remaining} offset(s) not read (run again)`
          : 'stopped at the end';
  const where = positions || (result.stoppedBy === 'error' ? 'no position committed' : 'nothing to read');
  const doubt = result.inDoubt
    .map(
      (r) =>
        `; in doubt: partition ${r.partition} offset ${r.offset} (${r.state === 'send-failed' ? 'its send failed, it may have arrived' : 'sent, its position not committed'}): the next run sends it again`,
    )
    .join('');
  return (
    `${dryRun ? 'dry run: would redrive' : 'redrove'} ${result.sent} record(s), skipped ${result.skipped}${result.warnings ? `, ${result.warnings} with warnings` : ''}; ` +
    `${how}: ${where}${dryRun ? '' : ` (committed in group ${result.groupId})`}${doubt}`
  );
}
