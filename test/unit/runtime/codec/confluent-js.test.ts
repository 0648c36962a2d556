// Confluent's own JS serializers (@confluentinc/schemaregistry, with its MockClient: no server) and ours
// write the same bytes for the same schema and value, and each side reads the other's.
import {
  AvroDeserializer,
  AvroSerializer,
  JsonDeserializer,
  JsonSerializer,
  MockClient,
  ProtobufDeserializer,
  ProtobufSerializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { describe, expect, it } from 'vitest';
import { startLocalRegistry } from '../../../../src/harness/local/registry/server.js';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { jsonSchema } from '../../../../src/runtime/codec/json-schema.js';
import { protobuf } from '../../../../src/runtime/codec/protobuf.js';
import type { SchemaCodec } from '../../../../src/runtime/codec/schema-codec.js';
import type { KafkaRecord } from '../../../../src/runtime/event/record.js';
import { confluentRegistry } from '../../../../src/runtime/registry/confluent.js';
import { bufbuildMessage } from '../../../support/bufbuild.js';
import { memoryRegistry } from '../../../support/memory-registry.js';
import { withFields } from '../../../support/shop-order.js';

const record = {
  topic: 'orders',
  partition: 0,
  offset: 1,
  valueSchemaMetadata: undefined,
  keySchemaMetadata: undefined,
} as unknown as KafkaRecord;

const ORDER_AVSC = withFields(
  { name: 'cents', type: 'long' },
  { name: 'note', type: ['null', 'string'], default: null },
  { name: 'tags', type: { type: 'array', items: 'string' } },
);
const ORDER = { id: 'o-1', qty: 3, cents: 1999, note: 'gift', tags: ['a', 'b'] };

async function decode(codec: SchemaCodec<unknown>, bytes: Buffer): Promise<unknown> {
  return await codec.decode(bytes, record, 'value');
}

describe('@confluentinc/schemaregistry serializers', () => {
  it('Avro: the same bytes both ways, and each side decodes the other', async () => {
    const client = new MockClient();
    const id = await client.register('orders-value', { schemaType: 'AVRO', schema: JSON.stringify(ORDER_AVSC) });
    const theirs = await new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true }).serialize('orders', ORDER);
    expect(theirs[0]).toBe(0);
    expect(theirs.readUInt32BE(1)).toBe(id);

    const ours = avro({ schema: ORDER_AVSC, framing: 'confluent', schemaId: id });
    await ours.ready();
    expect(ours.encode(ORDER).equals(theirs)).toBe(true);

    const registry = memoryRegistry('confluent', {
      [String(id)]: { format: 'AVRO', definition: JSON.stringify(ORDER_AVSC), references: [] },
    });
    expect(await decode(avro({ registry }), theirs)).toEqual(ORDER);
    expect(await new AvroDeserializer(client, SerdeType.VALUE, {}).deserialize('orders', ours.encode(ORDER))).toEqual(ORDER);
  });

  it('JSON Schema: the same bytes both ways, and each side decodes the other', async () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Order',
      type: 'object',
      properties: { id: { type: 'string' }, qty: { type: 'integer' } },
      required: ['id', 'qty'],
    };
    const value = { id: 'o-2', qty: 1 };
    const client = new MockClient();
    await client.register('orders-value', { schemaType: 'JSON', schema: JSON.stringify(schema) });
    const id = await client.getId('orders-value', { schemaType: 'JSON', schema: JSON.stringify(schema) });
    const theirs = await new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false }).serialize(
      'orders',
      value,
    );

    const ours = jsonSchema({ schema, framing: 'confluent', schemaId: id });
    await ours.ready();
    expect(ours.encode(value).equals(theirs)).toBe(true);
    const registry = memoryRegistry('confluent', { [String(id)]: { format: 'JSON', definition: JSON.stringify(schema), references: [] } });
    expect(await decode(jsonSchema({ registry }), theirs)).toEqual(value);
    expect(await new JsonDeserializer(client, SerdeType.VALUE, {}).deserialize('orders', ours.encode(value))).toEqual(value);
  });

  it('Protobuf: the same bytes both ways (message indexes included), and each side decodes the other', async () => {
    const proto = `syntax = "proto3";
package shop;

message Address {
  string city = 1;
}
message Order {
  string id = 1;
  int32 qty = 2;
  message Line {
    string sku = 1;
    int32 qty = 2;
  }
  repeated Line lines = 3;
}
`;
    const client = new MockClient();
    for (const [type, value] of [
      ['shop.Order', { id: 'o-3', qty: 2, lines: [{ sku: 'MUG', qty: 1 }] }],
      ['shop.Order.Line', { sku: 'CUP', qty: 4 }],
    ] as const) {
      const { message, registry: fileRegistry } = bufbuildMessage(proto, 'order.proto', type, value);
      const serializer = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry: fileRegistry });
      const theirs = await serializer.serialize('orders', message);
      const id = theirs.readUInt32BE(1);
      const registered = await client.getBySubjectAndId('orders-value', id);

      const ours = protobuf({ schema: proto, messageType: type, framing: 'confluent', schemaId: id });
      await ours.ready();
      expect(ours.encode(value).toString('hex')).toBe(theirs.toString('hex'));

      const registry = memoryRegistry('confluent', { [String(id)]: { format: 'PROTOBUF', definition: registered.schema, references: [] } });
      expect(await decode(protobuf({ registry }), theirs)).toEqual(value);
      const back = await new ProtobufDeserializer(client, SerdeType.VALUE, {}).deserialize('orders', ours.encode(value));
      expect(back).toMatchObject(value);
    }
  });
});

describe("@confluentinc/schemaregistry's REST client against our local registry", () => {
  it('their serializers register and fetch through it; our client reads what they registered and they read what we framed', async () => {
    const local = await startLocalRegistry();
    try {
      const client = new SchemaRegistryClient({ baseURLs: [local.url] });
      await client.register('orders-value', { schemaType: 'AVRO', schema: JSON.stringify(ORDER_AVSC) });
      const theirs = await new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true }).serialize('orders', ORDER);
      const ours = confluentRegistry({ url: local.url });
      expect(await decode(avro({ registry: ours }), theirs)).toEqual(ORDER);

      const writer = avro({ schema: ORDER_AVSC, framing: 'confluent', schemaId: theirs.readUInt32BE(1) });
      await writer.ready();
      const fresh = new SchemaRegistryClient({ baseURLs: [local.url] });
      expect(await new AvroDeserializer(fresh, SerdeType.VALUE, {}).deserialize('orders', writer.encode(ORDER))).toEqual(ORDER);

      const value = { id: 'j-1', qty: 2 };
      const schema = { type: 'object', properties: { id: { type: 'string' }, qty: { type: 'integer' } } };
      const id = Number(await ours.idFor?.('json-value', { format: 'JSON', definition: JSON.stringify(schema) }, { autoRegister: true }));
      const json = jsonSchema({ schema, framing: 'confluent', schemaId: id });
      await json.ready();
      expect(await new JsonDeserializer(fresh, SerdeType.VALUE, {}).deserialize('json', json.encode(value))).toEqual(value);
      // What their client asked the local registry for: the subset it needs. The associations lookup (topic → subject,
      // a newer Confluent API) gets a 404 here and the client falls back to TopicNameStrategy.
      expect(new Set(local.requests.map((r) => `${r.method} ${r.url.replace(/\d+/g, 'N').replace(/\?.*$/, '')}`))).toEqual(
        new Set([
          'POST /subjects/orders-value/versions',
          'GET /subjects/orders-value/versions/latest',
          'GET /schemas/ids/N',
          'POST /subjects/json-value/versions',
          'GET /associations/resources/-/orders',
          'GET /associations/resources/-/json',
        ]),
      );
    } finally {
      await local.close();
    }
  });
});
