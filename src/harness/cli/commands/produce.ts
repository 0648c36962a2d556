import { existsSync, readFileSync, statSync } from 'node:fs';
import type { CommandRegistration } from '../command.js';
import { collect, wholeNumber } from '../command.js';
import { CliError } from '../errors.js';
import { createOutput } from '../output.js';

interface ProduceOptions {
  readonly key?: string;
  readonly partition?: number;
  readonly count: number;
  readonly header?: string[];
  readonly brokers?: string;
  readonly create?: boolean;
  readonly json?: boolean;
}

/** `produce`: send a message (or each element of a JSON array) to a topic of the dev broker or KAFKA_BROKERS. */
export const registerProduce: CommandRegistration = (program) => {
  program
    .command('produce')
    .description('send a message, or each element of a JSON array, to a topic')
    .argument('<topic>', 'the topic to send to')
    .argument('<value>', 'JSON text, a path to a JSON file, or - to read standard input (text that is not JSON is sent as is)')
    .option('-k, --key <key>', 'message key')
    .option('-p, --partition <n>', 'partition (default: by key)', wholeNumber(0))
    .option('-n, --count <n>', 'send the value(s) this many times', wholeNumber(1), 1)
    .option('-H, --header <name=value>', 'a header (repeatable)', collect)
    .option('-b, --brokers <list>', 'bootstrap servers (default: $KAFKA_BROKERS, else the running `dev` or `kafka` broker)')
    .option('--create', 'create the topic (3 partitions) when it does not exist')
    .option('--json', 'print {"topic","count","partitions":[{"partition","baseOffset"}],"brokers"} as JSON')
    .action((topic: string, value: string, options: ProduceOptions) => produce(topic, value, options));
};

async function produce(topic: string, input: string, options: ProduceOptions): Promise<void> {
  const out = createOutput({ json: options.json === true, prefix: 'produce' });
  const headers = Object.fromEntries(
    (options.header ?? []).map((header) => {
      const at = header.indexOf('=');
      if (at <= 0) throw new CliError('USAGE', `--header ${header}: expected name=value`);
      return [header.slice(0, at), header.slice(at + 1)];
    }),
  );
  const values = parseValues(readInput(input));
  const [{ Kafka, logLevel }, { parseBrokerList }, { readDevBrokers }] = await Promise.all([
    import('kafkajs'),
    import('../../local/broker/cluster.js'),
    import('../../local/dev-state.js'),
  ]);
  const listed = options.brokers ?? process.env.KAFKA_BROKERS;
  const brokers = listed ? parseBrokerList(listed) : readDevBrokers();
  if (!brokers?.length) {
    throw new CliError(
      'CONFIG',
      'No Kafka to produce to: start `kafka-lambda-router dev` (or `kafka-lambda-router kafka`) in another terminal, set KAFKA_BROKERS, or pass --brokers',
    );
  }
  const kafka = new Kafka({ clientId: 'produce', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 2 } });
  const admin = kafka.admin();
  const producer = kafka.producer();
  try {
    await Promise.all([admin.connect(), producer.connect()]).catch((error: unknown) => {
      throw new CliError(
        'CONFIG',
        `Cannot reach Kafka at ${brokers.join(',')}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    });
    if (!(await admin.listTopics()).includes(topic)) {
      if (!options.create) {
        throw new CliError(
          'TOPIC_NOT_FOUND',
          `Topic '${topic}' does not exist on ${brokers.join(',')}. \`kafka-lambda-router dev\` creates the topics of your serverless.yml; or pass --create`,
        );
      }
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    }
    const messages = Array.from({ length: options.count }, () => values)
      .flat()
      .map((value) => ({
        key: options.key ?? null,
        value: typeof value === 'string' ? value : JSON.stringify(value),
        headers,
        ...(options.partition !== undefined ? { partition: options.partition } : {}),
      }));
    const results = await producer.send({ topic, acks: -1, messages });
    const partitions = results.map((r) => ({ partition: r.partition, baseOffset: r.baseOffset ?? null }));
    out.result({ topic, count: messages.length, partitions, brokers });
    out.info(
      `produced ${messages.length} message(s) to ${topic} (${partitions.map((p) => `partition ${p.partition}, base offset ${p.baseOffset}`).join('; ')}) on ${brokers.join(',')}`,
    );
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  }
}

/** The value argument's text: standard input for `-`, a file's content, or the argument itself. */
function readInput(input: string): string {
  if (input === '-') return readFileSync(0, 'utf8');
  if (existsSync(input) && statSync(input).isFile()) return readFileSync(input, 'utf8');
  return input;
}

/** JSON arrays send one message per element; other JSON one message; text that is not JSON is sent as is. */
function parseValues(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [text]; // not JSON: a text message
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}
