// Python's confluent-kafka (its serializers and SchemaRegistryClient, pointed at our local registry) on both
// sides of our router, through the real broker: Python produces Avro, Protobuf and JSON Schema records, the
// router decodes them through the registry and publishes them on with Confluent framing, and Python's
// deserializers read what the router published.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from '../../../src/harness/local/registry/server.js';
import { buildKafkaEvent } from '../../../src/harness/testing/build-event.js';
import { avro } from '../../../src/runtime/codec/avro.js';
import { jsonSchema } from '../../../src/runtime/codec/json-schema.js';
import { protobuf } from '../../../src/runtime/codec/protobuf.js';
import { createKafkaHandler } from '../../../src/runtime/lambda/handler.js';
import { createKafkaPublisher } from '../../../src/runtime/publish/kafka.js';
import { confluentRegistry } from '../../../src/runtime/registry/confluent.js';
import { silentLogger } from '../../../src/runtime/router/logger.js';
import { to } from '../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../src/runtime/router/route.js';
import { createRouter } from '../../../src/runtime/router/router.js';
import { consume, createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../support/kafka.js';
import { lambdaContext } from '../../support/lambda.js';
import { ensureVenv } from '../../support/python.js';
import { withFields } from '../../support/shop-order.js';

const SCRIPT = fileURLToPath(new URL('../../interop/python/confluent_interop.py', import.meta.url));
// Outside test/ so neither tsc nor vitest look into the installed packages.
const VENV = fileURLToPath(new URL('../../../.cache/venv-interop', import.meta.url));
const REQUIREMENTS = fileURLToPath(new URL('../../interop/python/requirements.txt', import.meta.url));

const AVRO_ORDER = withFields({ name: 'cents', type: 'long' });
const PROTO_ORDER = 'syntax = "proto3";\npackage shop;\n\nmessage Order {\n  string id = 1;\n  int32 qty = 2;\n}\n';
const JSON_ORDER = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order',
  type: 'object',
  properties: { id: { type: 'string' }, qty: { type: 'integer' } },
  required: ['id', 'qty'],
};

function python(python: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`python ${args[0]} exited ${code}: ${err.slice(-2000)}`))));
  });
}

let interpreter: string;
let registry: LocalRegistry;
beforeAll(async () => {
  interpreter = await ensureVenv(VENV, REQUIREMENTS);
  registry = await startLocalRegistry();
}, 300_000);
afterAll(() => registry?.close());

describe('Python confluent-kafka ⇄ router, real broker, local registry', () => {
  it('decodes what Python serialized and publishes what Python deserializes', async () => {
    const topics = {
      in: { avro: uniqueTopic('py-avro'), proto: uniqueTopic('py-proto'), json: uniqueTopic('py-json') },
      out: { avro: uniqueTopic('router-avro'), proto: uniqueTopic('router-proto'), json: uniqueTopic('router-json') },
    };
    const kafka = testKafkaClient();
    const admin = kafka.admin();
    await admin.connect();
    await createTopics(
      admin,
      [...Object.values(topics.in), ...Object.values(topics.out)].map((topic) => ({ topic })),
    );
    await admin.disconnect();
    const bootstrap = testKafka().brokers.join(',');
    const topicArgs = (set: typeof topics.in) => ['--avro-topic', set.avro, '--proto-topic', set.proto, '--json-topic', set.json];

    await python(interpreter, ['produce', '--bootstrap', bootstrap, '--registry', registry.url, ...topicArgs(topics.in)]);
    const produced = await consume(kafka, Object.values(topics.in), (m) => m.length >= 3);

    const client = confluentRegistry({ url: registry.url });
    const seen: Record<string, unknown> = {};
    const relay = (name: keyof typeof topics.in, codec: ReturnType<typeof avro>, out: ReturnType<typeof to>) =>
      defineRoute({
        topic: topics.in[name],
        codec,
        publishes: [out],
        handle(value: unknown) {
          seen[name] = value;
          return { ...(value as object), id: `router-${(value as { id: string }).id}` };
        },
      });
    const router = createRouter({
      unmatched: 'fail',
      logger: silentLogger,
      routes: [
        relay('avro', avro({ registry: client }), to(topics.out.avro, { codec: avro({ schema: AVRO_ORDER, registry: client }) })),
        relay(
          'proto',
          protobuf({ registry: client }),
          to(topics.out.proto, { codec: protobuf({ schema: PROTO_ORDER, registry: client }) }),
        ),
        relay(
          'json',
          jsonSchema({ registry: client }),
          to(topics.out.json, { codec: jsonSchema({ schema: JSON_ORDER, registry: client }) }),
        ),
      ],
    });
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, auth: { mechanism: 'plaintext' }, logger: silentLogger });
    try {
      const handler = createKafkaHandler(router, { publisher });
      const event = buildKafkaEvent(
        produced.map((m) => ({ topic: m.topic, partition: m.partition, offset: Number(m.offset), key: m.key, value: m.value })),
      );
      await expect(handler(event, lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
    } finally {
      await publisher.close();
    }
    expect(seen).toEqual({
      avro: { id: 'py-1', qty: 2, cents: 4_000_000_000 },
      proto: { id: 'py-2', qty: 3 },
      json: { id: 'py-3', qty: 4 },
    });

    const lines = await python(interpreter, [
      'consume',
      '--bootstrap',
      bootstrap,
      '--registry',
      registry.url,
      '--group',
      uniqueTopic('py-reader'),
      ...topicArgs(topics.out),
    ]);
    const read = Object.fromEntries(
      lines
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { topic: string; value: unknown })
        .map(({ topic, value }) => [topic, value]),
    );
    expect(read).toEqual({
      [topics.out.avro]: { id: 'router-py-1', qty: 2, cents: 4_000_000_000 },
      [topics.out.proto]: { id: 'router-py-2', qty: 3 },
      [topics.out.json]: { id: 'router-py-3', qty: 4 },
    });
    // What Python's client asked our registry for (its REST subset).
    const asked = new Set(registry.requests.map((r) => `${r.method} ${r.url.replace(/\?.*$/, '').replace(/\/\d+(?=\/|$)/g, '/N')}`));
    expect(asked).toContain('GET /schemas/ids/N');
  });
});
