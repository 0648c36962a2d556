// The emulator's schema registry modes: what Lambda's ESM does in provisioned mode with a registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../../src/harness/local/emulator/emulator.js';
import type { SourceKeeps } from '../../../../src/harness/local/emulator/schema-registry-mode.js';
import type { EmulatedFunction, EventSourceSettings } from '../../../../src/harness/local/emulator/types.js';
import { type LocalRegistry, startLocalRegistry } from '../../../../src/harness/local/registry/server.js';
import { avro } from '../../../../src/runtime/codec/avro.js';
import type { KafkaRecord } from '../../../../src/runtime/event/record.js';
import type { KafkaEvent, RawKafkaRecord } from '../../../../src/runtime/event/types.js';
import { type Logger, silentLogger } from '../../../../src/runtime/router/logger.js';
import { consume, createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { waitFor } from '../../../support/run-cli.js';

const ORDER = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'qty', type: 'int' },
  ],
};
const kafka = testKafkaClient();
const admin = kafka.admin();
const running: RunningEmulator[] = [];
let registry: LocalRegistry;
let orderId: number;
let encode: (value: unknown) => Buffer;

beforeAll(async () => {
  await admin.connect();
  registry = await startLocalRegistry();
  const registered = registry.store.register('orders-value', 'AVRO', JSON.stringify(ORDER), []);
  orderId = 'id' in registered ? registered.id : 0;
  const codec = avro({ schema: ORDER, framing: 'confluent', schemaId: orderId });
  await codec.ready();
  encode = (value) => codec.encode(value);
});
afterAll(async () => {
  for (const emulator of running) await emulator.stop();
  await admin.disconnect();
  await registry.close();
});

async function run(
  format: 'SOURCE' | 'JSON',
  values: Buffer[],
  destination?: string,
  logger: Logger = silentLogger,
  sourceKeeps?: SourceKeeps,
  extra: Partial<EventSourceSettings> = {},
): Promise<{ records: RawKafkaRecord[]; emulator: RunningEmulator; fn: string }> {
  const topic = uniqueTopic(`emu-sr-${format.toLowerCase()}`);
  await createTopics(admin, [{ topic }, ...(destination ? [{ topic: destination }] : [])]);
  const records: RawKafkaRecord[] = [];
  const source: EventSourceSettings = {
    kind: 'msk',
    topic,
    maximumBatchingWindow: 0,
    ...(destination ? { onFailureDestination: `kafka://${destination}` } : {}),
    schemaRegistry: { uri: registry.url, eventRecordFormat: format, attributes: ['VALUE'], ...(sourceKeeps ? { sourceKeeps } : {}) },
    ...extra,
  };
  const fn: EmulatedFunction = {
    name: `fn-${topic}`,
    eventSources: [source],
    timeout: 30,
    invoke: async (event: KafkaEvent) => {
      for (const batch of Object.values(event.records)) records.push(...batch);
      return { batchItemFailures: [] };
    },
  };
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
  const emulator = await startEmulator({ brokers: testKafka().brokers, functions: [fn], logger, retryDelayMs: 20 });
  running.push(emulator);
  return { records, emulator, fn: fn.name };
}

describe('ESM emulator with a schema registry', () => {
  // AWS: SOURCE mode "removes all schema metadata, such as the schema ID"; whether the header leaves the bytes
  // is UNCONFIRMED, so the emulator does either, and one codec setting reads both.
  const sourceCodec = () => avro({ schema: ORDER, lambdaRecordFormat: 'SOURCE' });
  const decodeDelivered = (codec: ReturnType<typeof sourceCodec>, record: RawKafkaRecord | undefined) =>
    codec.decode(Buffer.from(record?.value ?? '', 'base64'), { ...record, offset: 0 } as unknown as KafkaRecord, 'value');

  it('SOURCE (default): delivers the payload without its header and without schema metadata, as AWS documents', async () => {
    const { records } = await run('SOURCE', [encode({ id: 'o-1', qty: 2 })]);
    await waitFor(() => records.length === 1, 60_000);
    const [record] = records;
    expect(record?.valueSchemaMetadata).toBeUndefined();
    expect(Buffer.from(record?.value ?? '', 'base64').equals(encode({ id: 'o-1', qty: 2 }).subarray(5))).toBe(true);
    expect(await decodeDelivered(sourceCodec(), record)).toEqual({ id: 'o-1', qty: 2 });
  });

  it('SOURCE keeping the header and the metadata (the other reading): the original bytes, and the same codec reads them', async () => {
    const { records } = await run('SOURCE', [encode({ id: 'o-3', qty: 4 })], undefined, silentLogger, { header: true, metadata: true });
    await waitFor(() => records.length === 1, 60_000);
    const [record] = records;
    expect(record?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: String(orderId) });
    expect(Buffer.from(record?.value ?? '', 'base64').equals(encode({ id: 'o-3', qty: 4 }))).toBe(true);
    expect(await decodeDelivered(sourceCodec(), record)).toEqual({ id: 'o-3', qty: 4 });
  });

  it('JSON: delivers the decoded record as JSON text', async () => {
    const { records } = await run('JSON', [encode({ id: 'o-2', qty: 3 })]);
    await waitFor(() => records.length === 1, 60_000);
    expect(JSON.parse(Buffer.from(records[0]?.value ?? '', 'base64').toString())).toEqual({ id: 'o-2', qty: 3 });
    expect(records[0]?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: String(orderId) });
  });

  it('sends SCHEMA_NOT_FOUND and DESERIALIZATION_ERROR records to the on-failure destination, never to the function', async () => {
    const destination = uniqueTopic('emu-sr-failed');
    const unknownId = Buffer.concat([Buffer.from([0, 0, 0, 0x30, 0x39]), Buffer.from([2, 0x61, 2])]);
    const garbage = Buffer.from('not framed at all');
    const { records, emulator, fn } = await run('SOURCE', [unknownId, encode({ id: 'ok', qty: 1 }), garbage], destination);
    const failed = await consume(kafka, [destination], (m) => m.length >= 2);
    await waitFor(() => records.length === 1, 60_000);
    expect(records.map((r) => Buffer.from(r.value ?? '', 'base64').length)).toEqual([encode({ id: 'ok', qty: 1 }).length - 5]);
    const conditions = failed.map((m) => JSON.parse(m.value?.toString() ?? '{}').requestContext.condition);
    expect(conditions.sort()).toEqual(['DESERIALIZATION_ERROR', 'SCHEMA_NOT_FOUND']);
    expect(emulator.stats.get(fn)?.sentToDestination).toBe(2);
  });

  it('without an on-failure destination, drops unreadable records as Lambda does (logged as errors) and moves on', async () => {
    const errors: string[] = [];
    const { records, emulator, fn } = await run('SOURCE', [Buffer.from('not framed'), encode({ id: 'after', qty: 1 })], undefined, {
      ...silentLogger,
      error: (message: string) => errors.push(message),
    });
    await waitFor(() => records.length === 1, 60_000);
    expect(Buffer.from(records[0]?.value ?? '', 'base64').equals(encode({ id: 'after', qty: 1 }).subarray(5))).toBe(true);
    expect(errors).toEqual(['DESERIALIZATION_ERROR: records DROPPED, as Lambda drops them when the mapping has no on-failure destination']);
    expect(emulator.stats.get(fn)?.sentToDestination).toBe(0);
  });

  it('filters on the decoded record, as Lambda does with a registry (Avro bytes alone would leave metadata filters only)', async () => {
    const values = [encode({ id: 'small', qty: 1 }), encode({ id: 'big', qty: 5 }), encode({ id: 'small-too', qty: 2 })];
    const filterPatterns = [{ value: { qty: [{ numeric: ['>', 2] }] } }];
    const { records, emulator, fn } = await run('SOURCE', values, undefined, silentLogger, undefined, { filterPatterns });
    await waitFor(() => emulator.stats.get(fn)?.filteredOut === 2 && emulator.idle(), 60_000, 'two records filtered out');
    expect(records).toHaveLength(1);
    expect(Buffer.from(records[0]?.value ?? '', 'base64').equals(encode({ id: 'big', qty: 5 }).subarray(5))).toBe(true);
  });
});
