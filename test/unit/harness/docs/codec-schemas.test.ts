import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { Parser } from '@asyncapi/parser';
import { ProtoBuffSchemaParser } from '@asyncapi/protobuf-schema-parser';
import protobufjs from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { type AsyncApiDocument, buildAsyncApi } from '../../../../src/harness/docs/build.js';
import { serializeDocument } from '../../../../src/harness/docs/write.js';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { jsonSchema } from '../../../../src/runtime/codec/json-schema.js';
import { protobuf } from '../../../../src/runtime/codec/protobuf.js';
import { confluentRegistry } from '../../../../src/runtime/registry/confluent.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { mskEvent, serviceOf } from '../../../support/docs.js';

type Json = Record<string, unknown>;
const at = (document: AsyncApiDocument, ...path: string[]): Json =>
  path.reduce<Json>((node, key) => (node[key] ?? {}) as Json, document as Json);

// The media types AsyncAPI 3.0 lists for these formats ("Schema formats table" of the specification).
const AVRO_FORMAT = 'application/vnd.apache.avro;version=1.9.0';
const PROTOBUF_FORMAT = 'application/vnd.google.protobuf;version=3';
const JSON_SCHEMA_FORMAT = 'application/schema+json;version=draft-07';

const PAYMENT = {
  type: 'record',
  name: 'Payment',
  namespace: 'shop',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'amountCents', type: 'long' },
  ],
};
const withField = (schema: typeof PAYMENT, field: { name: string; type: unknown }) => ({ ...schema, fields: [...schema.fields, field] });

const ORDER_PROTO = `syntax = "proto3";
package shop.v1;

message Order {
  string order_id = 1;
  repeated Line lines = 2;
}

message Line {
  string sku = 1;
  int32 quantity = 2;
}
`;

const service = (route: ReturnType<typeof defineRoute>, topic = 'payments') =>
  serviceOf([{ name: 'pay', routes: [route], events: [mskEvent(topic, { consumerGroupId: 'pay' })] }]);

const build = async (route: ReturnType<typeof defineRoute>, topic?: string) => {
  const { model, diagnostics } = await service(route, topic);
  const built = await buildAsyncApi(model);
  return { ...built, diagnostics: [...diagnostics, ...built.diagnostics] };
};

const avroRoute = (schema: object) =>
  defineRoute({ name: 'take-payment', topic: 'payments', codec: avro({ schema }), handle: () => undefined });

const parseWithFormats = async (document: AsyncApiDocument) => {
  const parser = new Parser();
  parser.registerSchemaParser(AvroSchemaParser());
  parser.registerSchemaParser(ProtoBuffSchemaParser());
  return parser.parse(serializeDocument(document, 'yaml'));
};

describe('schema codecs as AsyncAPI multi-format schemas', () => {
  it('documents an Avro route with its Avro schema, which the AsyncAPI Avro schema parser reads', async () => {
    const { document, diagnostics } = await build(avroRoute(PAYMENT));
    expect(diagnostics).toEqual([]);
    const message = at(document, 'components', 'messages', 'Payments');
    expect(message.contentType).toBe('application/vnd.apache.avro+binary');
    expect(message.payload).toEqual({ schemaFormat: AVRO_FORMAT, schema: PAYMENT });
    expect(AvroSchemaParser().getMimeTypes()).toContain(AVRO_FORMAT);
    expect(await AvroSchemaParser().validate({ data: PAYMENT, path: [] } as never)).toEqual([]);

    const parsed = await parseWithFormats(document);
    expect(parsed.diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    const payload = parsed.document
      ?.messages()
      .all()
      .find((m) => m.name() === 'Payments')
      ?.payload();
    // The parser converted the Avro record into JSON Schema: the fields are Avro's.
    expect(payload?.schemaFormat()).toBe(AVRO_FORMAT);
    expect(Object.keys(payload?.properties() ?? {})).toEqual(['orderId', 'amountCents']);
    expect(payload?.properties()?.amountCents?.type()).toBe('integer');
  });

  it('changes the document when the Avro schema gains a field, and back when it is removed', async () => {
    const before = serializeDocument((await build(avroRoute(PAYMENT))).document, 'yaml');
    const added = await build(avroRoute(withField(PAYMENT, { name: 'coupon', type: ['null', 'string'] })));
    const after = serializeDocument(added.document, 'yaml');
    expect(after).not.toBe(before);
    expect(after).toContain('coupon');
    const fields = (at(added.document, 'components', 'messages', 'Payments', 'payload', 'schema').fields as Json[]).map((f) => f.name);
    expect(fields).toEqual(['orderId', 'amountCents', 'coupon']);
    const removed = serializeDocument((await build(avroRoute(PAYMENT))).document, 'yaml');
    expect(removed).toBe(before);
  });

  it('keeps the route’s Standard Schema next to the Avro schema, as the decoded value’s check', async () => {
    const route = defineRoute({
      name: 'take-payment',
      topic: 'payments',
      codec: avro({ schema: JSON.stringify(PAYMENT) }),
      schema: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value: unknown) => ({ value }),
          jsonSchema: { input: () => ({ type: 'object', properties: { orderId: { type: 'string', minLength: 1 } } }) },
        },
      } as never,
      handle: () => undefined,
    });
    const { document } = await build(route);
    const message = at(document, 'components', 'messages', 'Payments');
    // Avro given as text is embedded as the parsed Avro JSON.
    expect(message.payload).toEqual({ schemaFormat: AVRO_FORMAT, schema: PAYMENT });
    expect(message['x-decoded-value-schema']).toMatchObject({ properties: { orderId: { type: 'string', minLength: 1 } } });
  });

  it('documents a Protobuf route with its .proto text and message type', async () => {
    const route = defineRoute({ name: 'take-order', topic: 'orders', codec: protobuf({ schema: ORDER_PROTO }), handle: () => undefined });
    const { document, diagnostics } = await build(route, 'orders');
    expect(diagnostics).toEqual([]);
    expect(at(document, 'components', 'messages', 'Orders').payload).toEqual({
      schemaFormat: PROTOBUF_FORMAT,
      schema: ORDER_PROTO,
      'x-message-type': 'shop.v1.Order',
    });
    expect(ProtoBuffSchemaParser().getMimeTypes()).toContain(PROTOBUF_FORMAT);
    const parsed = await parseWithFormats(document);
    expect(parsed.diagnostics.filter((d) => d.severity === 0)).toEqual([]);
  });

  it('renders the .proto text of a protobufjs reflection type, which compiles back to the same fields', async () => {
    const root = protobufjs.parse(ORDER_PROTO, { keepCase: true }).root;
    root.resolveAll();
    const type = root.lookupType('shop.v1.Order');
    const route = defineRoute({ name: 'take-order', topic: 'orders', codec: protobuf({ type }), handle: () => undefined });
    const { document, diagnostics } = await build(route, 'orders');
    expect(diagnostics).toEqual([]);
    const payload = at(document, 'components', 'messages', 'Orders', 'payload');
    expect(payload.schemaFormat).toBe(PROTOBUF_FORMAT);
    expect(payload['x-message-type']).toBe('shop.v1.Order');
    expect(await ProtoBuffSchemaParser().validate({ data: payload.schema, path: [] } as never)).toEqual([]);
    const again = protobufjs.parse(String(payload.schema), { keepCase: true }).root;
    again.resolveAll();
    const fieldsOf = (t: protobufjs.Type) =>
      t.fieldsArray.map((f) => [f.name, f.id, f.repeated, f.resolvedType?.fullName ?? f.type, f.resolvedType instanceof protobufjs.Type]);
    expect(fieldsOf(again.lookupType('shop.v1.Order'))).toEqual(fieldsOf(type));
    expect(fieldsOf(again.lookupType('shop.v1.Line'))).toEqual(fieldsOf(root.lookupType('shop.v1.Line')));
  });

  it('renders enums, maps, oneofs, proto3 optional fields and nested types', async () => {
    const source = `syntax = "proto3";
package shop.v1;
enum Status { UNKNOWN = 0; PAID = 1; }
message Order {
  string id = 1;
  map<string, int64> totals = 2;
  Status status = 3;
  optional string note = 4;
  oneof payment { string card = 5; string iban = 6; }
  message Inner { bool gift = 1; }
  Inner inner = 7;
}`;
    const root = protobufjs.parse(source, { keepCase: true }).root;
    root.resolveAll();
    const route = defineRoute({
      name: 'take-order',
      topic: 'orders',
      codec: protobuf({ type: root.lookupType('shop.v1.Order') }),
      handle: () => undefined,
    });
    const text = String(at((await build(route, 'orders')).document, 'components', 'messages', 'Orders', 'payload', 'schema'));
    const again = protobufjs.parse(text, { keepCase: true }).root;
    again.resolveAll();
    // Same declarations (in any order): the JSON descriptors match once type names are qualified the same way.
    const descriptor = (r: protobufjs.Root): unknown =>
      JSON.parse(JSON.stringify(r.lookup('shop.v1')?.toJSON()).replace(/"type":"(?:\.?shop\.v1\.)?(?:Order\.)?/g, '"type":"'));
    expect(descriptor(again)).toEqual(descriptor(root));
    expect(await ProtoBuffSchemaParser().validate({ data: text, path: [] } as never)).toEqual([]);
  });

  it('says so when a Protobuf type has no reflection to render (a pbjs static class)', async () => {
    const staticClass = { decode: () => ({}), encode: () => ({ finish: () => new Uint8Array() }) };
    const route = defineRoute({ name: 'take-order', topic: 'orders', codec: protobuf({ type: staticClass }), handle: () => undefined });
    const { document, diagnostics } = await build(route, 'orders');
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        function: 'pay',
        route: 'take-order',
        message: expect.stringMatching(/^its value codec was given a Protobuf message type whose \.proto text cannot be rendered .*pbjs/),
      },
    ]);
    expect(at(document, 'components', 'messages', 'Orders', 'payload').description).toMatch(/^Protobuf value: it is not a protobufjs/);
  });

  it('documents a JSON Schema codec as draft-07 and an Avro key codec as the Kafka binding key', async () => {
    const keySchema = { type: 'record', name: 'PaymentKey', fields: [{ name: 'orderId', type: 'string' }] };
    const route = defineRoute({
      name: 'take-payment',
      topic: 'payments',
      codec: jsonSchema({ schema: { title: 'Payment', type: 'object', properties: { orderId: { type: 'string' } } } }),
      keyCodec: avro({ schema: keySchema }),
      handle: () => undefined,
    });
    const { document, diagnostics } = await build(route);
    expect(diagnostics).toEqual([]);
    const message = at(document, 'components', 'messages', 'Payments');
    expect(message.contentType).toBe('application/json');
    expect(message.payload).toEqual({
      schemaFormat: JSON_SCHEMA_FORMAT,
      schema: { title: 'Payment', type: 'object', properties: { orderId: { type: 'string' } } },
    });
    expect(at(document, 'components', 'messages', 'Payments', 'bindings', 'kafka').key).toEqual({
      $ref: '#/components/schemas/pay.TakePaymentKey',
    });
    expect(at(document, 'components', 'schemas', 'pay.TakePaymentKey')).toEqual({ schemaFormat: AVRO_FORMAT, schema: keySchema });
    const parsed = await parseWithFormats(document);
    expect(parsed.diagnostics.filter((d) => d.severity === 0)).toEqual([]);
  });

  it('names the registry and subject of a codec with no schema of its own, with a warning, and no credentials', async () => {
    const registry = confluentRegistry({ url: 'https://docs-user:s3cret-pass@registry.example.com' });
    const route = defineRoute({ name: 'take-payment', topic: 'payments', codec: avro({ registry }), handle: () => undefined });
    const { document, diagnostics } = await build(route);
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        function: 'pay',
        route: 'take-payment',
        message:
          'its value codec (Avro) has no schema of its own, only Confluent Schema Registry at https://registry.example.com: the document names the registry and subject, not the fields',
      },
    ]);
    const message = at(document, 'components', 'messages', 'Payments');
    expect(message.payload).toEqual({
      description:
        "Avro value; its schema is held by Confluent Schema Registry at https://registry.example.com and named by each record's framing: the codec declares none, so its fields are not shown here",
    });
    expect(message['x-schema-registry']).toEqual({
      kind: 'confluent',
      description: 'Confluent Schema Registry at https://registry.example.com',
      subjectNameStrategy: 'TopicNameStrategy',
      subject: 'payments-value',
    });
    expect(at(document, 'components', 'messages', 'Payments', 'bindings', 'kafka')).toMatchObject({
      schemaIdLocation: 'payload',
      schemaLookupStrategy: 'TopicNameStrategy',
    });
    const yaml = serializeDocument(document, 'yaml');
    expect(yaml).not.toContain('s3cret');
    expect(yaml).not.toContain('docs-user');
  });

  it('describes a topic only published to with the publisher codec’s schema', async () => {
    const route = defineRoute({
      name: 'take-payment',
      topic: 'payments',
      publishes: [to('payments.avro', { codec: avro({ schema: PAYMENT, framing: 'confluent', schemaId: 7 }) })],
      handle: () => undefined,
    });
    const { document, diagnostics } = await build(route);
    expect(diagnostics).toEqual([]);
    const message = at(document, 'components', 'messages', 'PaymentsAvro');
    expect(message.payload).toEqual({ schemaFormat: AVRO_FORMAT, schema: PAYMENT });
    expect(message.contentType).toBe('application/vnd.apache.avro+binary');
    expect(at(document, 'components', 'messages', 'PaymentsAvro', 'bindings', 'kafka')).toMatchObject({
      schemaIdLocation: 'payload',
      schemaIdPayloadEncoding: 'confluent',
    });
  });
});
