import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { wholeNumber } from '../command.js';
import { CliError } from '../errors.js';
import { toolKafka } from '../kafka-client.js';
import { listenForStopRequests } from '../lifecycle.js';
import { createOutput } from '../output.js';
import { loadServiceRoutes, partitionList } from '../topic-context.js';

interface CaptureCliOptions {
  readonly from: string;
  readonly max: number;
  readonly partition?: number[];
  readonly out?: string;
  readonly source?: 'msk' | 'self-managed';
  readonly recordFormat?: 'SOURCE' | 'JSON';
  readonly registry?: string;
  readonly force?: boolean;
  readonly brokers?: string;
  readonly config?: string;
  readonly stage?: string;
  readonly json?: boolean;
}

/** `events capture <topic>`: real records from a topic, as the event Lambda would deliver, for invoke local and tests. */
export function registerCapture(events: Command): void {
  events
    .command('capture')
    .description('write the Lambda event a topic’s real records would make (for serverless invoke local and tests)')
    .argument('<topic>', 'the topic to read')
    .option('--from <position>', 'beginning, end, an offset, an ISO time or @<epoch ms>', 'beginning')
    .option('-n, --max <n>', 'records to capture', wholeNumber(1), 10)
    .option('-p, --partition <list>', 'only these partitions (0 or 0,2)', partitionList)
    .option('-o, --out <file>', 'the event file (default: events/<topic>.captured.json)')
    .option('--source <kind>', 'msk or self-managed (default: the kind of the mapping that reads the topic, else msk)', sourceKind)
    .option('--record-format <format>', "a mapping with a schema registry: SOURCE or JSON (default: the mapping's)", recordFormat)
    .option('--registry <url>', 'the Confluent-compatible registry to read framed records through (default: $SCHEMA_REGISTRY_URL)')
    .option('--force', 'overwrite an existing file')
    .option('-b, --brokers <list>', 'bootstrap servers (default: $KAFKA_BROKERS, else the running `dev` or `kafka` broker)')
    .option('-c, --config <file>', 'serverless config file (default: the nearest serverless.yml, if any)')
    .option('-s, --stage <stage>', 'stage to resolve serverless.yml with')
    .option('--json', 'print {"file","records","leftOut":[…]} as JSON')
    .addHelpText(
      'after',
      '\nTombstones, null keys and binary headers are kept as they are. Through a schema registry, records come as Lambda\n' +
        'hands them over (SOURCE bytes, or JSON text) with valueSchemaMetadata; those Lambda would not deliver are left out\n' +
        'and listed. The file passes the router’s event parser. Then:\n' +
        '  npx serverless invoke local -f <function> --path <file>',
    )
    .action((topic: string, options: CaptureCliOptions) => capture(topic, options));
}

function sourceKind(value: string): 'msk' | 'self-managed' {
  if (value !== 'msk' && value !== 'self-managed') throw new CliError('USAGE', `--source ${value}: expected msk or self-managed`);
  return value;
}

function recordFormat(value: string): 'SOURCE' | 'JSON' {
  if (value !== 'SOURCE' && value !== 'JSON') throw new CliError('USAGE', `--record-format ${value}: expected SOURCE or JSON`);
  return value;
}

async function capture(topic: string, options: CaptureCliOptions): Promise<void> {
  const out = createOutput({ json: options.json === true, prefix: 'events capture' });
  const [{ parseStartPosition }, { captureEvent }, { eventFileText, kebabCase }] = await Promise.all([
    import('../../local/records/start-position.js'),
    import('../../local/records/capture.js'),
    import('../../local/samples/event-file.js'),
  ]);
  const from = parseStartPosition(options.from);
  const routes = await loadServiceRoutes(options);
  const mapping = routes?.functions.flatMap((fn) => fn.eventSources).find((source) => source.topic === topic);
  const registryUrl =
    options.registry ??
    (process.env.SCHEMA_REGISTRY_URL || undefined) ??
    (mapping?.schemaRegistry?.uri.startsWith('http') ? mapping.schemaRegistry.uri : undefined);
  const format = options.recordFormat ?? mapping?.schemaRegistry?.eventRecordFormat;
  if (format && !registryUrl)
    throw new CliError('USAGE', 'reading through a schema registry needs its URL: pass --registry <url> or set SCHEMA_REGISTRY_URL');
  const file = resolve(options.out ?? join('events', `${kebabCase(topic)}.captured.json`));
  if (existsSync(file) && !options.force) throw new CliError('USAGE', `${file} exists (--force overwrites)`);
  const { kafka, brokers } = await toolKafka({ brokers: options.brokers, clientId: 'events-capture', purpose: 'read from' });
  const stop = listenForStopRequests();
  const captured = await captureEvent({
    kafka,
    topic,
    from,
    max: options.max,
    source: options.source ?? (mapping?.kind === 'kafka' ? 'self-managed' : 'msk'),
    bootstrapServers: brokers.join(','),
    signal: stop.signal,
    ...(mapping?.clusterArn ? { clusterArn: mapping.clusterArn } : {}),
    ...(options.partition ? { partitions: options.partition } : {}),
    ...(format && registryUrl
      ? {
          schemaRegistry: {
            uri: registryUrl,
            eventRecordFormat: format,
            attributes: mapping?.schemaRegistry?.attributes ?? ['VALUE'],
            // The payload without the registry header (what Powertools' kafkaConsumer reads), and the schema id.
            sourceKeeps: { header: false, metadata: true },
          },
        }
      : {}),
  }).finally(() => stop.dispose());
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, eventFileText(captured.event));
  out.result({ file, records: captured.records, leftOut: captured.leftOut });
  out.info(`wrote ${relative(process.cwd(), file) || file} (${captured.records} records of ${topic})`);
  for (const line of captured.leftOut) out.info(`  left out ${line}`);
}
