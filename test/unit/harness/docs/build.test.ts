import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { type AsyncApiDocument, buildAsyncApi } from '../../../../src/harness/docs/build.js';
import { serializeDocument } from '../../../../src/harness/docs/write.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineBatchRoute, defineRoute } from '../../../../src/runtime/router/route.js';
import { mskEvent, serviceOf, type TestFunction } from '../../../support/docs.js';

type Json = Record<string, unknown>;
const at = (document: AsyncApiDocument, ...path: string[]): Json =>
  path.reduce<Json>((node, key) => (node[key] ?? {}) as Json, document as Json);

const Order = z.object({ orderId: z.string().check(z.minLength(1)), quantity: z.number().check(z.int(), z.positive()) });
const Payment = v.object({ paymentId: v.pipe(v.string(), v.uuid()), amount: v.number() });

const pipeline = (orderSchema = Order): TestFunction[] => [
  {
    name: 'takeOrders',
    routes: [
      defineRoute({
        name: 'take-order',
        topic: 'orders',
        schema: orderSchema,
        deadLetter: true,
        publishes: [to('orders.accepted'), to('orders.audit', { key: () => 'audit' })],
        handle: () => undefined,
      }),
    ],
    events: [mskEvent('orders', { consumerGroupId: 'take-orders', onFailureDestination: 'kafka://orders.failed' })],
  },
  {
    name: 'settle',
    routes: [defineBatchRoute({ name: 'settle-payment', topic: 'payments', schema: Payment, handleBatch: () => undefined })],
    events: [mskEvent('payments', { batchSize: 500, maximumBatchingWindow: 2 })],
  },
];

const build = async (functions: readonly TestFunction[], options?: Parameters<typeof serviceOf>[1]) => {
  const { model, diagnostics } = await serviceOf(functions, options);
  const built = await buildAsyncApi(model);
  return { ...built, diagnostics: [...diagnostics, ...built.diagnostics] };
};

describe('AsyncAPI document from routes and serverless events', () => {
  it('has a channel per topic, receive/send/dead-letter/on-failure operations and a message per channel', async () => {
    const { document, diagnostics } = await build(pipeline());
    expect(diagnostics).toEqual([]);
    expect(document.asyncapi).toBe('3.0.0');
    expect(Object.keys(at(document, 'channels'))).toEqual([
      'orders',
      'orders.DLT',
      'orders.accepted',
      'orders.audit',
      'orders.failed',
      'payments',
    ]);
    const operations = Object.entries(at(document, 'operations')).map(([id, op]) => [
      id,
      (op as Json).action,
      ((op as Json).channel as Json).$ref,
      (op as Json)['x-aws-lambda-function'],
    ]);
    expect(operations).toEqual([
      ['settle.settle-payment.receive', 'receive', '#/channels/payments', 'settle'],
      ['takeOrders.onFailure.orders.failed', 'send', '#/channels/orders.failed', 'takeOrders'],
      ['takeOrders.take-order.deadLetter.orders.DLT', 'send', '#/channels/orders.DLT', 'takeOrders'],
      ['takeOrders.take-order.receive', 'receive', '#/channels/orders', 'takeOrders'],
      ['takeOrders.take-order.send.orders.accepted', 'send', '#/channels/orders.accepted', 'takeOrders'],
      ['takeOrders.take-order.send.orders.audit', 'send', '#/channels/orders.audit', 'takeOrders'],
    ]);
    expect(Object.keys(at(document, 'components', 'messages'))).toEqual([
      'Orders',
      'OrdersAccepted',
      'OrdersAudit',
      'OrdersDLT',
      'OrdersFailed',
      'Payments',
    ]);
    expect(at(document, 'operations', 'takeOrders.take-order.deadLetter.orders.DLT').tags).toEqual([{ name: 'dead-letter' }]);
    expect(at(document, 'operations', 'takeOrders.onFailure.orders.failed').tags).toEqual([{ name: 'on-failure' }]);
  });

  it('converts zod/mini and valibot schemas (the input side, as on the wire) into message payloads', async () => {
    const { document } = await build(pipeline());
    expect(at(document, 'components', 'messages', 'Orders', 'payload')).toMatchObject({
      type: 'object',
      required: ['orderId', 'quantity'],
      properties: { orderId: { type: 'string', minLength: 1 }, quantity: { type: 'integer', exclusiveMinimum: 0 } },
    });
    expect(at(document, 'components', 'messages', 'Payments', 'payload')).toMatchObject({
      type: 'object',
      properties: { paymentId: { type: 'string', format: 'uuid' }, amount: { type: 'number' } },
    });
  });

  it('puts the consumer group and the event source mapping settings in the receive operation binding', async () => {
    const { document } = await build(pipeline());
    expect(at(document, 'operations', 'takeOrders.take-order.receive', 'bindings', 'kafka')).toEqual({
      groupId: { type: 'string', enum: ['take-orders'] },
      bindingVersion: '0.5.0',
      'x-aws-lambda-event-source-mapping': {
        eventSource: 'msk',
        batchSize: 100,
        startingPosition: 'TRIM_HORIZON',
        onFailureDestination: 'kafka://orders.failed',
      },
    });
    expect(at(document, 'operations', 'settle.settle-payment.receive', 'x-kafka-lambda-router')).toEqual({
      route: 'settle-payment',
      kind: 'batch',
    });
  });

  it("describes the one binary x-lineage header on the outputs of a route with lineage: 'compact'", async () => {
    const compact: TestFunction[] = [
      {
        name: 'takeOrders',
        routes: [
          defineRoute({
            name: 'take-order',
            topic: 'orders',
            lineage: 'compact',
            publishes: [to('orders.accepted')],
            handle: () => undefined,
          }),
        ],
        events: [mskEvent('orders', { consumerGroupId: 'take-orders' })],
      },
    ];
    const { document } = await build(compact);
    expect(at(document, 'components', 'messages', 'OrdersAccepted', 'headers')).toEqual({
      $ref: '#/components/schemas/CompactOutputHeaders',
    });
    const schema = at(document, 'components', 'schemas', 'CompactOutputHeaders');
    expect(schema.required).toEqual(['x-lineage']);
    expect(((schema.properties as Json)['x-lineage'] as Json).contentMediaType).toBe('application/octet-stream');
  });

  it('describes keys, lineage headers on outputs and Spring dead-letter headers', async () => {
    const { document } = await build(pipeline());
    const schemas = at(document, 'components', 'schemas');
    expect(at(document, 'components', 'messages', 'OrdersAccepted', 'headers')).toEqual({ $ref: '#/components/schemas/OutputHeaders' });
    // Literal names: the router's lineage headers and Spring for Apache Kafka's KafkaHeaders.DLT_* values.
    expect((schemas.OutputHeaders as Json).required).toEqual(['x-source-topic', 'x-source-partition', 'x-source-offset', 'x-message-id']);
    expect(Object.keys((schemas.DeadLetterHeaders as Json).properties as Json)).toEqual(
      expect.arrayContaining([
        'kafka_dlt-original-topic',
        'kafka_dlt-original-partition',
        'kafka_dlt-original-offset',
        'kafka_dlt-original-timestamp',
        'kafka_dlt-original-timestamp-type',
        'kafka_dlt-exception-fqcn',
        'kafka_dlt-exception-message',
        'kafka_dlt-exception-stacktrace',
      ]),
    );
    expect(at(document, 'components', 'messages', 'OrdersAudit', 'bindings', 'kafka', 'key', 'description')).toMatch(
      /publisher of route take-order/,
    );
    expect(at(document, 'components', 'messages', 'OrdersAccepted', 'bindings', 'kafka', 'key', 'description')).toMatch(
      /input record's key/,
    );
  });

  it('is deterministic: the same service in any function order gives the same bytes', async () => {
    const first = serializeDocument((await build(pipeline())).document, 'yaml');
    const again = serializeDocument((await build(pipeline())).document, 'yaml');
    const reversed = serializeDocument((await build([...pipeline()].reverse())).document, 'yaml');
    expect(again).toBe(first);
    expect(reversed).toBe(first);
  });
});

describe('a route whose schema changes', () => {
  const Extended = z.object({ ...Order.shape, coupon: z.optional(z.string()) });

  it('changes the document when a field is added, and back when it is removed', async () => {
    const before = serializeDocument((await build(pipeline(Order))).document, 'yaml');
    const added = await build(pipeline(Extended));
    const after = serializeDocument(added.document, 'yaml');
    expect(after).not.toBe(before);
    expect(Object.keys(at(added.document, 'components', 'messages', 'Orders', 'payload', 'properties'))).toEqual([
      'orderId',
      'quantity',
      'coupon',
    ]);
    const removed = serializeDocument((await build(pipeline(Order))).document, 'yaml');
    expect(removed).toBe(before);
    expect(removed).not.toContain('coupon');
  });

  it('changes the document when a constraint changes', async () => {
    const looser = z.object({ orderId: z.string(), quantity: z.number() });
    const strict = at((await build(pipeline(Order))).document, 'components', 'messages', 'Orders', 'payload', 'properties');
    const loose = at((await build(pipeline(looser))).document, 'components', 'messages', 'Orders', 'payload', 'properties');
    expect(strict.orderId).toEqual({ type: 'string', minLength: 1 });
    expect(loose.orderId).toEqual({ type: 'string' });
  });
});

describe('a schema that cannot be converted', () => {
  const withSchema = (schema: unknown): TestFunction[] => [
    {
      name: 'takeOrders',
      routes: [defineRoute({ name: 'take-order', topic: 'orders', schema: schema as typeof Order, handle: () => undefined })],
      events: [mskEvent('orders')],
    },
  ];

  it.each([
    [
      'a zod custom type',
      z.object({ id: z.string(), at: z.custom<Date>((x) => x instanceof Date) }),
      /zod.*Custom types cannot be represented/,
    ],
    ['a valibot custom type', v.object({ id: v.custom<string>((x) => typeof x === 'string') }), /@valibot\/to-json-schema.*custom/],
    [
      'a Standard Schema without a converter',
      { '~standard': { version: 1, vendor: 'acme', validate: (value: unknown) => ({ value }) } },
      /no JSON Schema converter for 'acme' schemas/,
    ],
  ])('%s gives an error naming the function and the route, and no empty payload', async (_label, schema, reason) => {
    const { document, diagnostics } = await build(withSchema(schema));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', function: 'takeOrders', route: 'take-order' });
    expect(diagnostics[0]?.message).toMatch(reason);
    const payload = at(document, 'components', 'messages', 'Orders', 'payload');
    expect(payload).not.toEqual({});
    expect(payload.description).toMatch(/could not be converted/);
  });
});

describe('topic patterns and unrouted topics', () => {
  const regional = defineRoute({ name: 'regional', topic: /^orders\.(eu|us)$/, schema: Order, handle: () => undefined });

  it('documents each topic a pattern route gets from the event source mappings as its own channel', async () => {
    const { document, diagnostics } = await build([
      { name: 'regions', routes: [regional], events: [mskEvent('orders.eu'), mskEvent('orders.us')] },
    ]);
    expect(diagnostics).toEqual([]);
    expect(Object.keys(at(document, 'operations'))).toEqual(['regions.regional.receive.orders.eu', 'regions.regional.receive.orders.us']);
    expect(at(document, 'operations', 'regions.regional.receive.orders.eu', 'x-kafka-lambda-router')).toEqual({
      route: 'regional',
      kind: 'record',
      topicPattern: '/^orders\\.(eu|us)$/',
    });
  });

  it('documents a pattern no mapping delivers as a parameterised channel, with a warning', async () => {
    const { document, diagnostics } = await build([
      {
        name: 'regions',
        routes: [regional, defineRoute({ name: 'plain', topic: 'plain', handle: () => undefined })],
        events: [mskEvent('plain')],
      },
    ]);
    expect(at(document, 'channels', 'pattern.regional')).toMatchObject({
      address: '{topic}',
      parameters: { topic: { description: 'Any topic matching /^orders\\.(eu|us)$/' } },
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        function: 'regions',
        route: 'regional',
        message: expect.stringMatching(/no event source mapping/),
      }),
    ]);
  });

  it('warns about a delivered topic no route consumes, and documents its unmatched dead-letter topic', async () => {
    const { document, diagnostics } = await build([
      {
        name: 'strict',
        routes: [defineRoute({ name: 'a', topic: 'a', handle: () => undefined })],
        unmatched: { deadLetter: 'strays' },
        events: [mskEvent('a'), mskEvent('b')],
      },
    ]);
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', function: 'strict', message: expect.stringContaining("no route consumes 'b'") }),
    ]);
    expect(Object.keys(at(document, 'operations'))).toEqual([
      'strict.a.receive',
      'strict.unmatched.deadLetter.strays',
      'strict.unrouted.receive.b',
    ]);
  });

  it('documents the triggers of a handler not made by createKafkaHandler, with a warning', async () => {
    const { document, diagnostics } = await build([{ name: 'plain', events: [mskEvent('raw')] }]);
    expect(Object.keys(at(document, 'channels'))).toEqual(['raw']);
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', function: 'plain', message: expect.stringContaining('createKafkaHandler') }),
    ]);
  });
});
