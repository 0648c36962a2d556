import { randomBytes } from 'node:crypto';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placedOrder } from '../../../functions/samples.js';
import { TOPICS } from '../../../functions/topics.js';
import { type RunningEmulator, startEmulator } from '../../../src/harness/local/emulator/emulator.js';
import type { EmulatedFunction, Invoker } from '../../../src/harness/local/emulator/types.js';
import { silentLogger } from '../../../src/runtime/router/logger.js';
import { setEnv } from '../../support/env.js';
import { consume, createTopics, headerText, testKafka, testKafkaClient } from '../../support/kafka.js';
import { waitFor } from '../../support/run-cli.js';
import { captureSpans } from '../../support/spans.js';

// One order through the example pipeline's three functions (validateOrders → reserveStock →
// notifyCustomers), driven by the emulator from the real broker, traced with the SDK's in-memory
// exporter: the record spans of the three hops are one trace. Attribute names are written out as
// the OpenTelemetry messaging semantic conventions (1.45) spell them, not taken from our constants.
const kafka = testKafkaClient();
let capture: ReturnType<typeof captureSpans>;
let emulator: RunningEmulator | undefined;
let restoreEnv: () => void;
const DLT = `${TOPICS.ordersPlaced}.DLT`;

beforeAll(async () => {
  restoreEnv = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(','), LOG_LEVEL: 'silent' });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const topics = [...Object.values(TOPICS), DLT].filter((topic) => !existing.has(topic));
  await createTopics(
    admin,
    topics.map((topic) => ({ topic, numPartitions: 2 })),
  );
  await admin.disconnect();
  capture = captureSpans();
});
afterAll(async () => {
  await emulator?.stop();
  await capture.stop();
  restoreEnv();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('one order through three functions', () => {
  it('is one trace: each hop a record span, child of and linked to the previous one; a poison pill ends in a dead-letter span', async () => {
    const entry = async (path: string): Promise<Invoker> => (await import(path)).handler;
    const suffix = hex(4);
    const functions: EmulatedFunction[] = [
      ['validateOrders', TOPICS.ordersPlaced, '../../../functions/validate-orders.js'],
      ['reserveStock', TOPICS.ordersValidated, '../../../functions/reserve-stock.js'],
      ['notifyCustomers', TOPICS.stockReserved, '../../../functions/notify-customers.js'],
    ].map(([name, topic, path]) => ({
      name: `${name}-${suffix}`,
      invoke: async (event, context) => (await entry(path as string))(event, context),
      eventSources: [{ kind: 'msk', topic: topic as string, maximumBatchingWindow: 0, startingPosition: 'LATEST' }],
      timeout: 30,
    }));
    emulator = await startEmulator({ brokers: testKafka().brokers, functions, logger: silentLogger, retryDelayMs: 20 });
    await emulator.joined();

    const traceId = hex(16);
    const producerSpan = hex(8);
    const poisonTrace = hex(16);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.ordersPlaced,
      acks: -1,
      messages: [
        { key: 'cus-7', partition: 0, value: JSON.stringify(placedOrder(6)), headers: { traceparent: `00-${traceId}-${producerSpan}-01` } },
        {
          key: 'cus-8',
          partition: 0,
          value: JSON.stringify({ ...placedOrder(7), lines: [{ sku: 'SKU-MUG', quantity: -2 }] }),
          headers: { traceparent: `00-${poisonTrace}-${producerSpan}-01` },
        },
      ],
    });
    await producer.disconnect();

    const ours = () => capture.spans().filter((s) => s.spanContext().traceId === traceId);
    const hop = (route: string) => ours().filter((s) => s.attributes['kafka_lambda_router.route'] === route);
    await waitFor(() => hop('notify-customer').length === 1, 120_000, 'the record span of the third hop');

    const [validate, reserve, notify] = ['validate-order', 'reserve-stock', 'notify-customer'].map((route) => {
      const spans = hop(route);
      expect(spans, route).toHaveLength(1);
      return spans[0] as ReadableSpan;
    }) as [ReadableSpan, ReadableSpan, ReadableSpan];

    // One trace, a chain: producer → validate → reserve → notify, each linked to the one before.
    const chain: Array<[ReadableSpan, string, string]> = [
      [validate, producerSpan, TOPICS.ordersPlaced],
      [reserve, validate.spanContext().spanId, TOPICS.ordersValidated],
      [notify, reserve.spanContext().spanId, TOPICS.stockReserved],
    ];
    for (const [span, parent, topic] of chain) {
      expect(span.kind).toBe(SpanKind.CONSUMER);
      expect(span.name).toBe(`process ${topic}`);
      expect(span.parentSpanContext?.spanId).toBe(parent);
      expect(span.links.some((link) => link.context.traceId === traceId && link.context.spanId === parent)).toBe(true);
      expect(span.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': expect.stringMatching(/^[01]$/),
        'kafka.offset': expect.any(Number),
        'kafka_lambda_router.outcome': 'handled',
      });
    }
    expect(validate.attributes['kafka.message.key']).toBe('cus-7');
    expect(ours().every((s) => s.spanContext().traceId === traceId)).toBe(true);

    // Each hop's invocation has a process span linking the producer of its records, and a send span for its flush.
    // An invocation span ends after its flush, so later than the record spans: wait until all three have ended.
    const invocationOf = (span: ReadableSpan) =>
      capture
        .spans()
        .find(
          (s) =>
            s.kind === SpanKind.CONSUMER &&
            s.attributes['messaging.batch.message_count'] !== undefined &&
            span.links.some((link) => link.context.spanId === s.spanContext().spanId),
        );
    await waitFor(() => [validate, reserve, notify].every((span) => invocationOf(span) !== undefined), 60_000, 'the invocation spans');
    for (const span of [validate, reserve, notify]) {
      const invocation = invocationOf(span);
      expect(invocation?.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.operation.type': 'process' });
      expect(invocation?.attributes['kafka_lambda_router.event_source_arn']).toMatch(/^arn:aws:kafka:/);
      const sends = capture
        .spans()
        .filter((s) => s.kind === SpanKind.PRODUCER && s.parentSpanContext?.spanId === invocation?.spanContext().spanId);
      expect(sends).toHaveLength(1);
      expect(sends[0]?.attributes).toMatchObject({
        'messaging.operation.type': 'send',
        'messaging.batch.message_count': expect.any(Number),
      });
    }

    // The poison pill: dead-lettered, its span says so, and the dead letter carries that span as traceparent.
    await waitFor(() => capture.spans().some((s) => s.spanContext().traceId === poisonTrace), 60_000, 'the poison pill’s span');
    const poison = capture.spans().filter((s) => s.spanContext().traceId === poisonTrace);
    expect(poison).toHaveLength(1);
    const deadLettered = poison[0] as ReadableSpan;
    expect(deadLettered.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': TOPICS.ordersPlaced,
      'kafka.message.key': 'cus-8',
      'kafka_lambda_router.outcome': 'dead-lettered',
      'error.type': 'SchemaValidationError',
    });
    expect(deadLettered.status.code).toBe(SpanStatusCode.ERROR);
    expect(deadLettered.events.find((e) => e.name === 'dead-letter')?.attributes?.['messaging.destination.name']).toBe(DLT);
    const deadLetters = await consume(kafka, [DLT], (all) => all.some((m) => headerText(m, 'traceparent')?.includes(poisonTrace) ?? false));
    const deadLetter = deadLetters.find((m) => headerText(m, 'traceparent')?.includes(poisonTrace));
    expect(headerText(deadLetter as never, 'traceparent')).toBe(`00-${poisonTrace}-${deadLettered.spanContext().spanId}-01`);
    expect(trace.getActiveSpan()).toBeUndefined();
  }, 240_000);
});
