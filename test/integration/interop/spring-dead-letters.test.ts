import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { toEventMessage } from '../../../src/harness/local/emulator/consumed-record.js';
import { buildKafkaEvent } from '../../../src/harness/testing/index.js';
import {
  createKafkaHandler,
  createKafkaPublisher,
  createRouter,
  defineRoute,
  PermanentError,
  silentLogger,
  to,
} from '../../../src/runtime/index.js';
import { ensureSpringChecker, runSpringChecker, type SpringReport } from '../../interop/spring-checker.js';
import { consume, testKafka, testKafkaClient, uniqueTopic } from '../../support/kafka.js';
import { lambdaContext } from '../../support/lambda.js';

// The peer proves the interop: a Spring for Apache Kafka 4.0 listener (test/interop/spring) reads the dead
// letters our router wrote through the real handler and publisher, binding every header with
// @Header(KafkaHeaders.DLT_*) and Spring's own conversions, and kafka-clients' default partitioner says where
// each of our keyed outputs belongs. Expected values are literals or what a Java consumer sees, never our constants.

const Order = z.object({ id: z.number(), lines: z.array(z.object({ sku: z.string(), qty: z.number() })) });

// Keys of varied length (murmur2's 1-, 2- and 3-byte tails), UTF-8 beyond ASCII, and raw bytes with the
// sign bit set (Java hashes signed bytes).
const KEYS: ReadonlyArray<string | Buffer> = [
  'a',
  'AB',
  'abc',
  'customer-1',
  'customer-2',
  'customer-42',
  'order:2026-0001',
  'ключ-7',
  '顧客-9',
  '🙂',
  'x'.repeat(200),
  Buffer.from([0x00, 0xff, 0x80, 0x7f, 0xfe]),
];
const FIRST_TIMESTAMP = 1_767_225_600_123; // 2026-01-01T00:00:00.123Z

const kafka = testKafkaClient();
const admin = kafka.admin();
let checkerDir = '';

beforeAll(async () => {
  // The first run fetches Spring's jars with Maven and compiles the checker into .cache/; later runs reuse it.
  const [checker] = await Promise.all([ensureSpringChecker(), admin.connect()]);
  checkerDir = checker.dir;
}, 300_000);
afterAll(() => admin.disconnect());

describe('Spring for Apache Kafka reads our dead letters', () => {
  it('binds every kafka_dlt-* header of our dead letters with KafkaHeaders.DLT_*, and our keyed outputs sit where the Java partitioner puts them', async () => {
    const orders = uniqueTopic('interop-orders');
    const ledger = uniqueTopic('interop-ledger');
    const keyed = uniqueTopic('interop-keyed');
    await admin.createTopics({
      topics: [
        { topic: orders, numPartitions: 3 },
        // The broker stamps this topic's records: the dead letter must say LogAppendTime.
        { topic: ledger, numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] },
        { topic: `${orders}.DLT`, numPartitions: 1 },
        { topic: `${ledger}.DLT`, numPartitions: 1 },
        { topic: keyed, numPartitions: 6 },
      ],
      waitForLeaders: true,
    });

    // orders, partition 2: good orders with the keys above, and two poison pills at offsets 3 and 5.
    const producer = kafka.producer();
    await producer.connect();
    const orderMessages = [];
    let next = 0;
    for (let offset = 0; offset < KEYS.length + 2; offset++) {
      const timestamp = String(FIRST_TIMESTAMP + offset * 1_000);
      if (offset === 3) {
        orderMessages.push({
          key: 'poison-3',
          value: JSON.stringify({ id: 3, lines: [] }),
          timestamp,
          headers: { 'x-correlation-id': 'corr-3' },
        });
      } else if (offset === 5) {
        orderMessages.push({ key: Buffer.from([0xca, 0xfe]), value: Buffer.from([0xff, 0xfe, 0x7b, 0x00]), timestamp });
      } else {
        const id = offset;
        orderMessages.push({
          key: KEYS[next++] as string | Buffer,
          value: JSON.stringify({ id, lines: [{ sku: 'SKU-1', qty: 1 }] }),
          timestamp,
        });
      }
    }
    await producer.send({ topic: orders, messages: orderMessages.map((m) => ({ ...m, partition: 2 })) });
    await producer.send({
      topic: ledger,
      messages: [
        { key: 'ledger-good', value: JSON.stringify({ id: 100, lines: [] }) },
        { key: 'ledger-poison', value: JSON.stringify({ id: 'one hundred and one', lines: [] }) },
      ],
    });
    await producer.disconnect();

    // The ESM event Lambda would deliver for exactly these records, read back from the broker.
    const stored = await consume(kafka, [orders, ledger], (all) => all.length >= orderMessages.length + 2);
    expect(stored).toHaveLength(orderMessages.length + 2);
    const event = buildKafkaEvent(
      stored.map(({ topic, partition, message }) => toEventMessage(topic, partition, message)),
      { bootstrapServers: testKafka().brokers },
    );

    const placed = defineRoute({
      topic: orders,
      schema: Order,
      deadLetter: true,
      publishes: [to(keyed)],
      handle(order) {
        if (order.lines.length === 0) throw new PermanentError(`order ${order.id} has no lines`);
        return { id: order.id, ok: true };
      },
    });
    const booked = defineRoute({
      topic: ledger,
      schema: Order,
      deadLetter: true,
      publishes: [to(keyed)],
      handle: (entry) => ({ id: entry.id }),
    });
    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, auth: { mechanism: 'plaintext' }, logger: silentLogger });
    const handler = createKafkaHandler(createRouter({ routes: [placed, booked], unmatched: 'fail', logger: silentLogger }), { publisher });
    try {
      expect(await handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    } finally {
      await publisher.close();
    }

    const report: SpringReport = await runSpringChecker({
      dir: checkerDir,
      brokers: testKafka().brokers,
      deadLetterTopics: [
        { topic: `${orders}.DLT`, partitions: 1 },
        { topic: `${ledger}.DLT`, partitions: 1 },
      ],
      originalTopics: [
        { topic: orders, partitions: 3 },
        { topic: ledger, partitions: 1 },
      ],
      keyedTopic: { topic: keyed, partitions: 6 },
      expected: 3 + stored.length + (KEYS.length + 1),
    });
    expect(report.errors).toEqual([]);
    const progress = { deadLetters: report.deadLetters.length, originals: report.originals.length, keyed: report.keyed.length };
    expect(report.complete, JSON.stringify({ ...progress, timeline: report.timeline })).toBe(true);

    // Dead letters, as Spring bound them.
    const deadLetters = [...report.deadLetters].sort(
      (a, b) => a.originalTopic.localeCompare(b.originalTopic) || a.originalOffset - b.originalOffset,
    );
    const javaOriginal = (topic: string, offset: number) => report.originals.find((o) => o.topic === topic && o.offset === offset);
    expect(deadLetters).toHaveLength(3);
    const [noLines, undecodable] = deadLetters.filter((d) => d.originalTopic === orders);
    const [badSchema] = deadLetters.filter((d) => d.originalTopic === ledger);

    expect(noLines).toMatchObject({
      topic: `${orders}.DLT`,
      key: Buffer.from('poison-3').toString('base64'),
      value: Buffer.from('{"id":3,"lines":[]}').toString('base64'),
      originalTopic: orders,
      originalPartition: 2,
      originalOffset: 3,
      originalTimestamp: 1_767_225_603_123,
      originalTimestampType: 'CreateTime',
      originalTimestampTypeEnum: 'CREATE_TIME',
      exceptionFqcn: 'PermanentError',
      exceptionMessage: 'order 3 has no lines',
      correlationId: 'corr-3',
    });
    expect(noLines?.exceptionStacktrace).toMatch(/^PermanentError: order 3 has no lines\n\s+at /);
    expect(javaOriginal(orders, 3)).toEqual({
      topic: orders,
      partition: 2,
      offset: 3,
      timestamp: 1_767_225_603_123,
      timestampType: 'CreateTime',
    });

    expect(undecodable).toMatchObject({
      topic: `${orders}.DLT`,
      key: 'yv4=',
      value: '//57AA==',
      originalTopic: orders,
      originalPartition: 2,
      originalOffset: 5,
      originalTimestamp: 1_767_225_605_123,
      originalTimestampType: 'CreateTime',
      exceptionFqcn: 'DecodeError',
      correlationId: null,
    });
    expect(undecodable?.exceptionMessage).toMatch(
      /^Cannot decode the value: not valid json \(SyntaxError[^)]*\) \(at interop-orders-\w+-2@5\)$/,
    );
    expect(undecodable?.exceptionStacktrace).toMatch(/^DecodeError: Cannot decode the value/);

    const ledgerOriginal = javaOriginal(ledger, 1);
    expect(ledgerOriginal?.timestampType).toBe('LogAppendTime');
    expect(badSchema).toMatchObject({
      topic: `${ledger}.DLT`,
      key: Buffer.from('ledger-poison').toString('base64'),
      originalTopic: ledger,
      originalPartition: 0,
      originalOffset: 1,
      // The broker's timestamp, as a Java consumer reads it from the original record.
      originalTimestamp: ledgerOriginal?.timestamp,
      originalTimestampType: 'LogAppendTime',
      originalTimestampTypeEnum: 'LOG_APPEND_TIME',
      exceptionFqcn: 'SchemaValidationError',
    });
    expect(badSchema?.exceptionMessage).toMatch(/^The value does not match the route's schema: id: /);

    // Keyed outputs: the partition each landed on is the one kafka-clients computes for its key.
    expect(report.keyedTopicPartitions).toBe(6);
    const expectedKeys = [...KEYS, 'ledger-good'].map((k) => Buffer.from(k).toString('base64'));
    expect(report.keyed.map((k) => k.key).sort()).toEqual([...expectedKeys].sort());
    for (const read of report.keyed) {
      expect(read.javaPartition, `key ${read.key}`).toBe(read.murmur2Partition);
      expect(read.partition, `key ${read.key}`).toBe(read.javaPartition);
    }
    // The keys spread over most partitions, so agreement is not an accident of one partition.
    expect(new Set(report.keyed.map((k) => k.partition)).size).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
