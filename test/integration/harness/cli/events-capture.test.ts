// `events capture` on real records: tombstones, null keys, binary headers, and Confluent-framed Avro read through the
// local registry. The file must pass the router's own event parser and Powertools' kafkaConsumer.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaConsumer } from '@aws-lambda-powertools/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from '../../../../src/harness/local/registry/server.js';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { runBuiltCli } from '../../../support/run-cli.js';

const PAYMENT = {
  type: 'record',
  name: 'Payment',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'cents', type: 'long' },
  ],
};
const kafka = testKafkaClient();
const admin = kafka.admin();
const producer = kafka.producer();
let registry: LocalRegistry;
const dir = mkdtempSync(join(tmpdir(), 'klr-capture-'));
let captures = 0;

const capture = async (topic: string, extra: string[] = []) => {
  const file = join(dir, `${topic}-${++captures}.json`);
  const run = await runBuiltCli(['events', 'capture', topic, '--out', file, '--json', ...extra], {
    cwd: dir,
    env: { KAFKA_BROKERS: testKafka().brokers.join(',') },
  });
  expect(run.code, run.output).toBe(0);
  return {
    event: JSON.parse(readFileSync(file, 'utf8')) as unknown,
    result: JSON.parse(run.stdout) as { records: number; leftOut: string[] },
  };
};

/** What Powertools' kafkaConsumer hands a handler: each record's key, value and headers. */
const throughPowertools = (event: unknown, value: Parameters<typeof kafkaConsumer>[1]) =>
  kafkaConsumer(async (e) => e.records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })), value)(
    event as never,
    {} as never,
  );

beforeAll(async () => {
  await Promise.all([admin.connect(), producer.connect()]);
  registry = await startLocalRegistry();
});
afterAll(async () => {
  await Promise.all([admin.disconnect(), producer.disconnect()]);
  await registry.close();
});

describe('events capture (built CLI, real broker)', () => {
  it('keeps tombstones, null keys and binary headers, and the file passes our parser and Powertools', async () => {
    const topic = uniqueTopic('capture-json');
    await createTopics(admin, [{ topic, numPartitions: 1 }]);
    await producer.send({
      topic,
      messages: [
        { key: 'k-1', value: '{"n":1}', headers: { 'x-bin': Buffer.from([0, 255, 1]) } },
        { key: null, value: '{"n":2}' },
        { key: 'k-1', value: null },
      ],
    });
    const { event, result } = await capture(topic, ['--source', 'self-managed']);
    expect(result).toMatchObject({ records: 3, leftOut: [] });
    const records = parseKafkaEvent(event).lanes.flatMap((lane) => lane.records);
    expect(records.map((r) => [r.key, r.valueBytes?.toString() ?? null])).toEqual([
      ['k-1', '{"n":1}'],
      [null, '{"n":2}'],
      ['k-1', null],
    ]);
    expect(records[0]?.headers.bytes('x-bin')).toEqual(Buffer.from([0, 255, 1]));
    expect((event as { eventSource: string }).eventSource).toBe('SelfManagedKafka');
    const theirs = (await throughPowertools(event, { value: { type: 'json' } })) as Array<{ key: unknown; value: unknown }>;
    expect(theirs.map((r) => r.value)).toEqual([{ n: 1 }, { n: 2 }, null]);
  }, 60_000);

  it('reads Confluent-framed Avro through the registry as Lambda hands it over, with valueSchemaMetadata', async () => {
    const topic = uniqueTopic('capture-avro');
    await createTopics(admin, [{ topic, numPartitions: 1 }]);
    const registered = registry.store.register(`${topic}-value`, 'AVRO', JSON.stringify(PAYMENT), []);
    const id = 'id' in registered ? registered.id : 0;
    const codec = avro({ schema: PAYMENT, framing: 'confluent', schemaId: id });
    await codec.ready();
    await producer.send({
      topic,
      messages: [
        { key: 'p', value: codec.encode({ id: 'p-1', cents: 100 }) },
        { key: 'p', value: '{"not":"framed"}' },
      ],
    });
    const source = await capture(topic, ['--registry', registry.url, '--record-format', 'SOURCE']);
    expect(source.result.records).toBe(1);
    expect(source.result.leftOut).toEqual([expect.stringContaining('DESERIALIZATION_ERROR')]);
    const [record] = parseKafkaEvent(source.event).lanes.flatMap((lane) => lane.records);
    expect(record?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: String(id) });
    const avroValues = (await throughPowertools(source.event, { value: { type: 'avro', schema: JSON.stringify(PAYMENT) } })) as Array<{
      value: unknown;
    }>;
    expect(avroValues.map((r) => r.value)).toEqual([{ id: 'p-1', cents: 100 }]);

    const rendered = await capture(topic, ['--registry', registry.url, '--record-format', 'JSON']);
    const jsonValues = (await throughPowertools(rendered.event, { value: { type: 'json' } })) as Array<{ value: unknown }>;
    expect(jsonValues.map((r) => r.value)).toEqual([{ id: 'p-1', cents: 100 }]);
  }, 60_000);

  it('captures one registry-framed Avro topic with a tombstone, a null key and a binary header: all in the file, read alike by our parser and Powertools', async () => {
    const topic = uniqueTopic('capture-mixed');
    await createTopics(admin, [{ topic, numPartitions: 1 }]);
    const registered = registry.store.register(`${topic}-value`, 'AVRO', JSON.stringify(PAYMENT), []);
    const id = 'id' in registered ? registered.id : 0;
    const codec = avro({ schema: PAYMENT, framing: 'confluent', schemaId: id });
    await codec.ready();
    const binary = Buffer.from([0, 255, 1, 128]);
    await producer.send({
      topic,
      messages: [
        { key: 'p-1', value: codec.encode({ id: 'p-1', cents: 100 }), headers: { 'x-bin': binary, 'x-text': 'plain' } },
        { key: null, value: codec.encode({ id: 'p-2', cents: 250 }) },
        { key: 'p-1', value: null },
      ],
    });
    const { event, result } = await capture(topic, ['--registry', registry.url, '--record-format', 'SOURCE']);
    expect(result).toMatchObject({ records: 3, leftOut: [] });
    const records = parseKafkaEvent(event).lanes.flatMap((lane) => lane.records);
    expect(records.map((r) => [r.key, r.valueBytes === null ? null : 'bytes'])).toEqual([
      ['p-1', 'bytes'],
      [null, 'bytes'],
      ['p-1', null],
    ]);
    expect(records[0]?.headers.bytes('x-bin')).toEqual(binary);
    expect(records[0]?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: String(id) });
    // Our own codec reads the captured bytes as the route would.
    const ours = await Promise.all(records.slice(0, 2).map((r) => codec.decode(r.valueBytes as Buffer, r as never, 'value')));
    expect(ours).toEqual([
      { id: 'p-1', cents: 100 },
      { id: 'p-2', cents: 250 },
    ]);
    const theirs = (await throughPowertools(event, { value: { type: 'avro', schema: JSON.stringify(PAYMENT) } })) as Array<{
      key: unknown;
      value: unknown;
      headers: unknown;
    }>;
    // avsc hands records over as instances of the schema's class: compared by their fields.
    expect(theirs.map((r) => [r.key, r.value == null ? null : { ...(r.value as object) }])).toEqual([
      ['p-1', { id: 'p-1', cents: 100 }],
      [null, { id: 'p-2', cents: 250 }],
      ['p-1', null],
    ]);
    // Powertools renders every header as UTF-8 text (lossy for x-bin); the file keeps the bytes, as our parser shows.
    expect(theirs[0]?.headers).toContainEqual({ 'x-text': 'plain' });
  }, 60_000);
});
