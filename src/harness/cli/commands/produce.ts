import type { CommandRegistration } from '../command.js';
import { collect, wholeNumber } from '../command.js';
import { CliError } from '../errors.js';
import { toolKafka, unreachable } from '../kafka-client.js';
import { createOutput } from '../output.js';
import { parseHeaderOptions, readProduceValues } from '../produce-input.js';
import { locateService } from '../service.js';
import { toolRegistry } from '../tool-registry.js';

interface ProduceOptions {
  readonly route?: string;
  readonly function?: string;
  readonly file?: string;
  readonly raw?: 'base64' | 'hex';
  readonly key?: string;
  readonly partition?: number;
  readonly count: number;
  readonly rate?: number;
  readonly header?: string[];
  readonly registry?: string;
  readonly brokers?: string;
  readonly config?: string;
  readonly stage?: string;
  readonly create?: boolean;
  readonly json?: boolean;
}

/** `produce`: send messages to a topic, encoded through a route's codec when one is named. */
export const registerProduce: CommandRegistration = (program) => {
  program
    .command('produce')
    .description("send messages to a topic, encoded through a route's codec (Avro, Protobuf, JSON Schema) when asked")
    .argument('[topic]', 'the topic to send to (default with --route: the topic the route consumes)')
    .argument('[value]', 'JSON text, a JSON array (one message each), a path to a JSON file, or - for standard input')
    .option('-r, --route <name>', "encode values through this route's codec and key codec (the route that consumes the topic)")
    .option('-f, --function <name>', "encode through the codec of this function's route for <topic>")
    .option('--file <file>', 'JSON lines: one message per line')
    .option('--raw <encoding>', 'the value (or each --file line) is bytes in this encoding: base64 or hex (poison pills)', rawEncoding)
    .option('-k, --key <key>', 'message key (JSON for a route with a key codec)')
    .option('-p, --partition <n>', 'partition (default: by key)', wholeNumber(0))
    .option('-n, --count <n>', 'send the value(s) this many times', wholeNumber(1), 1)
    .option('--rate <n>', 'at most this many messages per second (load tests)', wholeNumber(1))
    .option('-H, --header <name=value>', 'a header (repeatable)', collect)
    .option('--registry <url>', 'Confluent-frame values through this schema registry (default: $SCHEMA_REGISTRY_URL, if set)')
    .option('-b, --brokers <list>', 'bootstrap servers (default: $KAFKA_BROKERS, else the running `dev` or `kafka` broker)')
    .option('-c, --config <file>', 'serverless config file, for --route/--function (default: the nearest serverless.yml)')
    .option('-s, --stage <stage>', 'stage to resolve serverless.yml with')
    .option('--create', 'create the topic (3 partitions) when it does not exist')
    .option('--json', 'print {"topic","count","partitions":[{"partition","baseOffset"}],"brokers"} as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  kafka-lambda-router produce orders.placed \'{"orderId":"o-1"}\' --key o-1\n' +
        '  kafka-lambda-router produce --route record-payment --file payments.jsonl --registry http://127.0.0.1:8081\n' +
        '  kafka-lambda-router produce orders.placed --raw hex ff00fe   # a poison pill\n' +
        'Auth: KAFKA_AUTH (plaintext, tls, scram-sha-512, iam) and its variables, as the functions publish.',
    )
    .action((topic: string | undefined, value: string | undefined, options: ProduceOptions) => produce(topic, value, options));
};

function rawEncoding(value: string): 'base64' | 'hex' {
  if (value !== 'base64' && value !== 'hex') throw new CliError('USAGE', `--raw ${value}: expected base64 or hex`);
  return value;
}

async function produce(topicArgument: string | undefined, valueArgument: string | undefined, options: ProduceOptions): Promise<void> {
  const out = createOutput({ json: options.json === true, prefix: 'produce' });
  const headers = parseHeaderOptions(options.header);
  const byRoute = options.route !== undefined || options.function !== undefined;
  // With --route the topic may be left out, and the one argument is the value.
  const [topicGiven, valueGiven] =
    options.route !== undefined && valueArgument === undefined && !options.file
      ? [undefined, topicArgument]
      : [topicArgument, valueArgument];
  const inputs = readProduceValues(valueGiven, {
    ...(options.file ? { file: options.file } : {}),
    ...(options.raw ? { raw: options.raw } : {}),
    strictJson: byRoute,
  });
  const { encoders, topic } = await encodersFor(topicGiven, options);
  const { kafka, brokers } = await toolKafka({ brokers: options.brokers, clientId: 'produce', purpose: 'produce to' });
  const admin = kafka.admin();
  const producer = kafka.producer();
  try {
    await Promise.all([admin.connect(), producer.connect()]).catch((error: unknown) => {
      throw unreachable(brokers, error);
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
    const key = options.key === undefined ? null : encoders.key(options.key);
    const messages = Array.from({ length: options.count }, () => inputs)
      .flat()
      .map((input) => ({
        key,
        value: input.kind === 'bytes' ? input.bytes : encoders.value(input.value),
        headers: Object.fromEntries(headers),
        ...(options.partition !== undefined ? { partition: options.partition } : {}),
      }));
    const partitions = new Map<number, string | null>();
    // In slices (one request stays under the broker's maximum size), or one by one at --rate.
    const slice = options.rate ? 1 : 500;
    const began = Date.now();
    for (let from = 0; from < messages.length; from += slice) {
      if (options.rate) {
        const due = began + (from * 1000) / options.rate;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      }
      for (const result of await producer.send({ topic, acks: -1, messages: messages.slice(from, from + slice) }))
        if (!partitions.has(result.partition)) partitions.set(result.partition, result.baseOffset ?? null);
    }
    const listed = [...partitions].sort(([a], [b]) => a - b).map(([partition, baseOffset]) => ({ partition, baseOffset }));
    out.result({ topic, count: messages.length, partitions: listed, brokers, ...(byRoute ? { codec: encoders.codec } : {}) });
    out.info(
      `produced ${messages.length} message(s) to ${topic}${byRoute ? ` (${encoders.codec})` : ''} (${listed.map((p) => `partition ${p.partition}, base offset ${p.baseOffset}`).join('; ')}) on ${brokers.join(',')}`,
    );
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  }
}

interface Encoders {
  readonly codec: string;
  value(value: unknown): Buffer | string | null;
  key(text: string): Buffer | string;
}

/** The topic and how values and keys are encoded: through the named route's codecs, or as JSON/text. */
async function encodersFor(topicGiven: string | undefined, options: ProduceOptions): Promise<{ topic: string; encoders: Encoders }> {
  if (options.route === undefined && options.function === undefined) {
    if (topicGiven === undefined) throw new CliError('USAGE', 'missing the topic (or pass --route <name>)');
    const plain: Encoders = {
      codec: 'json',
      value: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
      key: (text) => text,
    };
    return { topic: topicGiven, encoders: plain };
  }
  if (options.function !== undefined && options.route === undefined && topicGiven === undefined)
    throw new CliError('USAGE', '--function needs the topic too');
  const service = locateService(options);
  const [{ loadLocalFunctions }, { serviceRoutes }, { readyEncoder }] = await Promise.all([
    import('../../local/emulator/functions.js'),
    import('../../local/codecs/service-routes.js'),
    import('../../testing/route-codec.js'),
  ]);
  const routes = serviceRoutes(await loadLocalFunctions(service));
  const found =
    options.route !== undefined
      ? routes.route(options.route, options.function)
      : routes.consumerIn(options.function ?? '', topicGiven ?? '');
  const routeTopic = found.compiled.route.topic;
  const topic = topicGiven ?? (typeof routeTopic === 'string' ? routeTopic : undefined);
  if (topic === undefined)
    throw new CliError('USAGE', `route ${found.compiled.name} consumes a pattern (${String(routeTopic)}): name the topic`);
  const registry = await toolRegistry(options.registry);
  const mapping = found.fn.eventSources.find((source) => source.topic === topic)?.schemaRegistry;
  const codecHasRegistry = (found.compiled.codec as { declaration?: { registry?: unknown } }).declaration?.registry !== undefined;
  if (mapping && !registry && !codecHasRegistry) {
    // Lambda's ESM would drop (or send to the on-failure destination) every record that is not registry-framed.
    throw new CliError(
      'USAGE',
      `${topic} is read through a schema registry (${found.fn.name}'s mapping): pass --registry <url> (\`dev\` prints the local one) or set SCHEMA_REGISTRY_URL`,
    );
  }
  // Framed only where framed payloads are read: through the mapping's registry (Lambda unframes them), or by a
  // codec that reads frames itself. A route that reads bare payloads gets bare ones, whatever --registry says.
  const declaration = (found.compiled.codec as { declaration?: { framing?: string } }).declaration;
  const readsFrames = mapping !== undefined || (declaration?.framing !== undefined && declaration.framing !== 'none');
  const framing = registry && readsFrames ? { registry } : ('route' as const);
  if (registry && !readsFrames)
    process.stderr.write(
      `[produce] ${found.compiled.name} reads bare ${found.compiled.codec.name} payloads: sent without registry framing\n`,
    );
  const value = await readyEncoder(found.compiled.codec, { topic, part: 'value' }, framing);
  const key = found.compiled.keyCodec ? await readyEncoder(found.compiled.keyCodec, { topic, part: 'key' }, framing) : undefined;
  return {
    topic,
    encoders: {
      codec: framing === 'route' ? value.codec : `${value.codec}, Confluent-framed`,
      value: (v) => value.encode(v),
      key: (text) => {
        if (!key) return text;
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // a key that is not JSON goes to the key codec as text
        }
        return key.encode(parsed) ?? Buffer.alloc(0);
      },
    },
  };
}
