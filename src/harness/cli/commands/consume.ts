import type { CommandRegistration } from '../command.js';
import { wholeNumber } from '../command.js';
import { CliError } from '../errors.js';
import { toolKafka } from '../kafka-client.js';
import { listenForStopRequests } from '../lifecycle.js';
import { createOutput } from '../output.js';
import { toolRegistry } from '../tool-registry.js';
import { CODEC_NAMES, explicitCodec, partitionList, topicRoles } from '../topic-context.js';

interface ConsumeOptions {
  readonly from: string;
  readonly partition?: number[];
  readonly max?: number;
  readonly follow?: boolean;
  readonly format: 'json' | 'table';
  readonly codec?: string;
  readonly registry?: string;
  readonly brokers?: string;
  readonly config?: string;
  readonly stage?: string;
}

/** `consume <topic>` (alias `tail`): print a topic's records decoded through the codecs of the routes around it. */
export const registerConsume: CommandRegistration = (program) => {
  program
    .command('consume')
    .alias('tail')
    .description("print a topic's records, decoded through the codec of the route that publishes (or reads) it")
    .argument('<topic>', 'the topic to read')
    .option('--from <position>', 'beginning, end, an offset, an ISO time (2026-01-01T09:00:00Z) or @<epoch ms>', 'beginning')
    .option('-p, --partition <list>', 'only these partitions (0 or 0,2)', partitionList)
    .option('-n, --max <n>', 'stop after this many records', wholeNumber(1))
    .option('-F, --follow', 'keep printing new records until Ctrl-C')
    .option('--format <format>', 'json (one JSON document per line) or table', formatOption, 'json')
    .option('--codec <name>', `decode values with this codec instead: ${CODEC_NAMES.join(', ')}`)
    .option('--registry <url>', 'schema registry for framed values (default: $SCHEMA_REGISTRY_URL, if set)')
    .option('-b, --brokers <list>', 'bootstrap servers (default: $KAFKA_BROKERS, else the running `dev` or `kafka` broker)')
    .option('-c, --config <file>', 'serverless config file (default: the nearest serverless.yml, if any)')
    .option('-s, --stage <stage>', 'stage to resolve serverless.yml with')
    .addHelpText(
      'after',
      '\nEach line: {"topic","partition","offset","timestamp","key","value","headers"} (and "error" when the value did not decode).\n' +
        "Headers read by meaning: Spring's kafka_dlt-* (partition, offset as numbers, timestamp as ISO time), lineage\n" +
        '(x-source-*, x-message-id), others as UTF-8 text or hex:…; binary values as {"binary":{"bytes","hex"}}, never raw.\n' +
        'Without --follow it stops at the end the topic had when it started. Nothing is committed.',
    )
    .action((topic: string, options: ConsumeOptions) => consume(topic, options));
};

function formatOption(value: string): 'json' | 'table' {
  if (value !== 'json' && value !== 'table') throw new CliError('USAGE', `--format ${value}: expected json or table`);
  return value;
}

async function consume(topic: string, options: ConsumeOptions): Promise<void> {
  const out = createOutput({ prefix: 'consume' });
  const [{ parseStartPosition }, { readTopic }, { topicDecoder }] = await Promise.all([
    import('../../local/records/start-position.js'),
    import('../../local/records/topic-reader.js'),
    import('../../local/records/record-view.js'),
  ]);
  const from = parseStartPosition(options.from);
  const registry = await toolRegistry(options.registry);
  const explicit = options.codec ? await explicitCodec(options.codec, registry) : undefined;
  const roles = explicit ? undefined : await topicRoles(topic, options);
  const decoder = await topicDecoder(roles, { ...(explicit ? { explicit } : {}), ...(registry ? { registry } : {}) });
  out.progress(`${topic}: values decoded as ${decoder.description}`);
  const { kafka } = await toolKafka({ brokers: options.brokers, clientId: 'consume', purpose: 'read from' });
  const stop = listenForStopRequests();
  if (options.format === 'table') out.info(tableRow(['partition', 'offset', 'timestamp', 'key', 'value']));
  try {
    const result = await readTopic({
      kafka,
      topic,
      from,
      ...(options.partition ? { partitions: options.partition } : {}),
      ...(options.max !== undefined ? { max: options.max } : {}),
      follow: options.follow === true,
      signal: stop.signal,
      onRecord: async (record) => {
        const view = await decoder.view(record);
        out.info(
          options.format === 'table'
            ? tableRow([
                String(view.partition),
                String(view.offset),
                view.timestamp,
                clip(view.key),
                view.error ? `(${view.error})` : clip(view.value),
              ])
            : JSON.stringify(view),
        );
      },
    });
    out.progress(`${result.read} record(s) from ${topic}; next offsets ${[...result.next].map(([p, o]) => `${p}:${o}`).join(' ')}`);
  } finally {
    stop.dispose();
  }
}

const WIDTHS = [9, 8, 24, 20, 0];

function tableRow(cells: readonly string[]): string {
  return cells.map((cell, n) => ((WIDTHS[n] ?? 0) > 0 ? cell.padEnd(WIDTHS[n] ?? 0) : cell)).join(' ');
}

function clip(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
