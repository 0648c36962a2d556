import { existsSync, readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { parseBrokerList } from '../broker/cluster.js';
import { readDevBrokers } from '../dev-state.js';

// `npm run produce -- <topic> <json | file> [--key k] [--partition n] [--count n]`
// Sends one message (or each element of a JSON array) to the running dev broker or KAFKA_BROKERS.
const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
};
const key = option('key');
const partition = option('partition');
const count = Number(option('count') ?? 1);
const [topic, input] = args;
if (!topic || input === undefined) {
  process.stderr.write('usage: npm run produce -- <topic> <json | file> [--key k] [--partition n] [--count n]\n');
  process.exit(2);
}
const brokers = process.env.KAFKA_BROKERS ? parseBrokerList(process.env.KAFKA_BROKERS) : readDevBrokers();
if (!brokers) {
  process.stderr.write('No Kafka to produce to: start `npm run dev` in another terminal, or set KAFKA_BROKERS.\n');
  process.exit(1);
}
const text = existsSync(input) ? readFileSync(input, 'utf8') : input;
let values: unknown[];
try {
  const parsed: unknown = JSON.parse(text);
  values = Array.isArray(parsed) ? parsed : [parsed];
} catch {
  values = [text]; // not JSON: sent as plain text
}
const kafka = new Kafka({ clientId: 'produce', brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer();
await producer.connect();
const messages = Array.from({ length: count }, () => values)
  .flat()
  .map((value) => ({
    key: key ?? null,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    ...(partition !== undefined ? { partition: Number(partition) } : {}),
  }));
const [result] = await producer.send({ topic, acks: -1, messages });
await producer.disconnect();
process.stdout.write(
  `produced ${messages.length} message(s) to ${topic} (partition ${result?.partition}, base offset ${result?.baseOffset}) on ${brokers.join(',')}\n`,
);
