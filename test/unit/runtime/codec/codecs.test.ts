import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { writeConfluentFrame } from '../../../../src/runtime/codec/framing/confluent.js';
import { writeGlueFrame } from '../../../../src/runtime/codec/framing/glue.js';
import { jsonSchema } from '../../../../src/runtime/codec/json-schema.js';
import { protobuf } from '../../../../src/runtime/codec/protobuf.js';
import type { SchemaCodec } from '../../../../src/runtime/codec/schema-codec.js';
import {
  ConfigError,
  DecodeError,
  PermanentError,
  RegistryUnavailableError,
  SchemaNotFoundError,
} from '../../../../src/runtime/errors/index.js';
import { codecRecord, decodeValue, rejectionOf } from '../../../support/codec-decode.js';
import { memoryRegistry } from '../../../support/memory-registry.js';
import { AVRO_ORDER } from '../../../support/shop-order.js';

const ORDER_V1 = AVRO_ORDER;
const ORDER_V2 = {
  ...ORDER_V1,
  fields: [...ORDER_V1.fields, { name: 'note', type: ['null', 'string'], default: null }],
};
const PROTO = `syntax = "proto3";
package shop;
message Address { string city = 1; }
message Order {
  string id = 1;
  int64 cents = 2;
  message Line { string sku = 1; int32 qty = 2; }
  repeated Line lines = 3;
  map<string, string> labels = 4;
}`;
const ORDER_JSON_SCHEMA = {
  type: 'object',
  properties: { id: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
  required: ['id', 'qty'],
};

const record = codecRecord;
const decode = decodeValue;
const failure = rejectionOf;

describe('avro()', () => {
  it('round-trips a value unframed, Confluent-framed and Glue-framed', async () => {
    const order = { id: 'o-1', qty: 3 };
    for (const options of [
      {},
      { framing: 'confluent', schemaId: 7 },
      { framing: 'glue', schemaId: '7d55d475-2244-4485-8341-f74468c1e058' },
    ] as const) {
      const codec = avro<typeof order>({ schema: ORDER_V1, ...options });
      await codec.ready();
      expect(await decode(codec, codec.encode(order))).toEqual(order);
    }
    const confluent = avro({ schema: ORDER_V1, framing: 'confluent', schemaId: 7 });
    await confluent.ready();
    // 0x00, id 7, then Avro: string "o-1" (zigzag length 3 = 0x06) and int 3 (zigzag 0x06).
    expect(confluent.encode(order).toString('hex')).toBe(`0000000007066f2d3106`);
  });

  it('decodes with the writer schema from the registry and resolves it to the reader schema', async () => {
    const registry = memoryRegistry('confluent', { '1': { format: 'AVRO', definition: JSON.stringify(ORDER_V1), references: [] } });
    const writer = avro({ schema: ORDER_V1 });
    await writer.ready();
    const framed = writeConfluentFrame(1, writer.encode({ id: 'o-2', qty: 5 }));
    expect(await decode(avro({ registry }), framed)).toEqual({ id: 'o-2', qty: 5 });
    expect(await decode(avro({ registry, schema: ORDER_V2 }), framed)).toEqual({ id: 'o-2', qty: 5, note: null });
  });

  it('fetches each schema id once, sharing concurrent lookups, and is synchronous once warm', async () => {
    const registry = memoryRegistry('confluent', { '1': { format: 'AVRO', definition: JSON.stringify(ORDER_V1), references: [] } });
    const writer = avro({ schema: ORDER_V1 });
    await writer.ready();
    const codec = avro({ registry });
    const framed = writeConfluentFrame(1, writer.encode({ id: 'o-3', qty: 1 }));
    await Promise.all(Array.from({ length: 20 }, () => decode(codec, framed)));
    expect(registry.calls.get('1')).toBe(1);
    const warm = codec.decode(framed, record(), 'value');
    expect(warm).not.toBeInstanceOf(Promise);
    expect(registry.calls.get('1')).toBe(1);
  });

  it('unknown ids are SchemaNotFoundError (permanent); an outage is RegistryUnavailableError (retryable, not cached)', async () => {
    const registry = memoryRegistry('confluent', { '1': { format: 'AVRO', definition: JSON.stringify(ORDER_V1), references: [] } });
    const codec = avro({ registry });
    const missing = await failure(decode(codec, writeConfluentFrame(99, Buffer.from([0]))));
    expect(missing).toBeInstanceOf(SchemaNotFoundError);
    expect(missing).toMatchObject({ code: 'SCHEMA_NOT_FOUND', permanent: true, at: { topic: 'orders', partition: 1, offset: 42 } });
    registry.down = true;
    const framed = writeConfluentFrame(1, Buffer.from('066f2d3106', 'hex'));
    const down = await failure(decode(codec, framed));
    expect(down).toBeInstanceOf(RegistryUnavailableError);
    expect(down).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', permanent: false });
    registry.down = false;
    expect(await decode(codec, framed)).toEqual({ id: 'o-1', qty: 3 });
  });

  it('a payload naming a Glue schema with a Confluent registry, or a schema of another format, is a DecodeError', async () => {
    const registry = memoryRegistry('confluent', { '2': { format: 'PROTOBUF', definition: PROTO, references: [] } });
    const codec = avro({ registry });
    expect(await failure(decode(codec, writeGlueFrame('7d55d475-2244-4485-8341-f74468c1e058', Buffer.from([0]))))).toBeInstanceOf(
      DecodeError,
    );
    expect(await failure(decode(codec, writeConfluentFrame(2, Buffer.from([0]))))).toBeInstanceOf(DecodeError);
  });

  it('refuses to encode a value that does not match, naming paths and not values', async () => {
    const codec = avro({ schema: ORDER_V1 });
    await codec.ready();
    const error = (() => {
      try {
        codec.encode({ id: 'secret-value', qty: 'x' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/qty/);
    expect((error as Error).message).not.toMatch(/secret-value/);
  });

  it('needs a schema or a registry, and ready() before encode', () => {
    expect(() => avro({})).toThrow(ConfigError);
    expect(() => avro({ schema: ORDER_V1 }).encode({})).toThrow(ConfigError);
  });
});

describe('protobuf()', () => {
  it('writes Confluent message indexes for nested types and reads them back through the registry', async () => {
    const registry = memoryRegistry('confluent', { '5': { format: 'PROTOBUF', definition: PROTO, references: [] } });
    const line = protobuf({ schema: PROTO, messageType: 'shop.Order.Line', framing: 'confluent', schemaId: 5 });
    await line.ready();
    const bytes = line.encode({ sku: 'MUG', qty: 2 });
    // Order is the second top-level message (1), Line its first nested message (0): count 2, 1, 0 as zigzag varints.
    expect(bytes.subarray(5, 8).toString('hex')).toBe('040200');
    expect(await decode(protobuf({ registry }), bytes)).toEqual({ sku: 'MUG', qty: 2 });
  });

  it('writes Glue flat indexes (all messages and map entries, sorted by full name)', async () => {
    const uuid = '12345678-1234-1234-1234-123456789012';
    const registry = memoryRegistry('glue', { [uuid]: { format: 'PROTOBUF', definition: PROTO, references: [] } });
    const order = protobuf({ schema: PROTO, messageType: 'shop.Order', framing: 'glue', schemaId: uuid });
    await order.ready();
    const bytes = order.encode({ id: 'o-1', cents: '1999', lines: [{ sku: 'MUG', qty: 1 }], labels: { gift: 'yes' } });
    // shop.Address 0, shop.Order 1, shop.Order.LabelsEntry 2, shop.Order.Line 3.
    expect(bytes[18]).toBe(1);
    expect(await decode(protobuf({ registry }), bytes)).toEqual({
      id: 'o-1',
      cents: '1999',
      lines: [{ sku: 'MUG', qty: 1 }],
      labels: { gift: 'yes' },
    });
    const line = protobuf({ schema: PROTO, messageType: 'shop.Order.Line', framing: 'glue', schemaId: uuid });
    await line.ready();
    expect(line.encode({ sku: 'X', qty: 1 })[18]).toBe(3);
  });

  it('an index with no message type is a DecodeError', async () => {
    const registry = memoryRegistry('confluent', { '5': { format: 'PROTOBUF', definition: PROTO, references: [] } });
    const error = await failure(decode(protobuf({ registry }), writeConfluentFrame(5, Buffer.from([2, 18, 0]))));
    expect(error).toBeInstanceOf(DecodeError);
  });

  it('resolves imports from schema references', async () => {
    const common = 'syntax = "proto3"; package common; message Money { int64 cents = 1; string currency = 2; }';
    const main = 'syntax = "proto3"; package shop; import "common.proto"; message Invoice { string id = 1; common.Money total = 2; }';
    const registry = memoryRegistry('confluent', {
      '9': { format: 'PROTOBUF', definition: main, references: [{ name: 'common.proto', definition: common, references: [] }] },
    });
    const writer = protobuf({ schema: `${common}`, messageType: 'common.Money' });
    await writer.ready();
    const money = writer.encode({ cents: '250', currency: 'EUR' });
    const invoice = Buffer.concat([Buffer.from([0x00, 0x0a, 0x02, 0x69, 0x31, 0x12, money.length]), money]);
    expect(await decode(protobuf({ registry }), writeConfluentFrame(9, invoice))).toEqual({
      id: 'i1',
      total: { cents: '250', currency: 'EUR' },
    });
  });
});

describe('jsonSchema()', () => {
  it('validates decoded JSON and names the failing path, never the data', async () => {
    const codec = jsonSchema({ schema: ORDER_JSON_SCHEMA });
    expect(await decode(codec, Buffer.from('{"id":"o-1","qty":2}'))).toEqual({ id: 'o-1', qty: 2 });
    const error = await failure(decode(codec, Buffer.from('{"id":"secret-id","qty":0}')));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).toMatch(/\/qty must be >= 1/);
    expect((error as Error).message).not.toMatch(/secret-id/);
    const text = await failure(decode(codec, Buffer.from('{"id": secret')));
    expect((text as Error).message).not.toMatch(/secret/);
  });

  it('takes the schema from the registry for Confluent-framed JSON', async () => {
    const registry = memoryRegistry('confluent', {
      '3': { format: 'JSON', definition: JSON.stringify(ORDER_JSON_SCHEMA), references: [] },
    });
    const framed = writeConfluentFrame(3, Buffer.from('{"id":"o-9","qty":1}'));
    expect(await decode(jsonSchema({ registry }), framed)).toEqual({ id: 'o-9', qty: 1 });
    expect(await failure(decode(jsonSchema({ registry }), writeConfluentFrame(3, Buffer.from('{"qty":1}'))))).toBeInstanceOf(DecodeError);
  });
});

describe("Lambda's JSON mode", () => {
  it('takes a JSON-rendered record with schema metadata as the value, without a registry round trip', async () => {
    const registry = memoryRegistry('confluent', {});
    const value = await decode(avro({ registry }), Buffer.from('{"id":"o-1","qty":3}'), { dataFormat: 'AVRO', schemaId: '1' });
    expect(value).toEqual({ id: 'o-1', qty: 3 });
    expect(registry.calls.size).toBe(0);
  });
});

describe("Lambda's record formats", () => {
  it('SOURCE takes JSON-looking bytes as the payload; JSON refuses what is not JSON text', async () => {
    const metadata = { dataFormat: 'JSON', schemaId: '3' } as const;
    const registry = memoryRegistry('confluent', {
      '3': { format: 'JSON', definition: JSON.stringify(ORDER_JSON_SCHEMA), references: [] },
    });
    // SOURCE: the original bytes (Lambda removed the header), decoded and validated through the registry.
    const source = jsonSchema({ registry, lambdaRecordFormat: 'SOURCE' });
    expect(await decode(source, Buffer.from('{"id":"o-1","qty":1}'), metadata)).toEqual({ id: 'o-1', qty: 1 });
    expect(registry.calls.get('3')).toBe(1);
    expect(await failure(decode(source, Buffer.from('{"id":"o-1","qty":0}'), metadata))).toBeInstanceOf(DecodeError);
    // JSON mode: the value is Lambda's JSON rendering; no registry round trip, and non-JSON is a DecodeError.
    const json = avro({ registry, lambdaRecordFormat: 'JSON' });
    expect(await decode(json, Buffer.from('{"id":"o-2","qty":2}'), { dataFormat: 'AVRO', schemaId: '3' })).toEqual({ id: 'o-2', qty: 2 });
    const error = await failure(decode(json, Buffer.from([0x06, 0x6f, 0x2d, 0x31]), { dataFormat: 'AVRO', schemaId: '3' }));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).toMatch(/not JSON text/);
    expect(registry.calls.get('3')).toBe(1);
  });
});

describe('arbitrary bytes', () => {
  const metadata = fc.option(
    fc.record({
      dataFormat: fc.constantFrom('AVRO', 'PROTOBUF', 'JSON'),
      schemaId: fc.option(fc.oneof(fc.constant('1'), fc.constant('12345678-1234-1234-1234-123456789012'), fc.nat().map(String)), {
        nil: undefined,
      }),
    }),
    { nil: undefined },
  );
  const payload = fc.oneof(
    fc.uint8Array({ maxLength: 48 }),
    fc.uint8Array({ maxLength: 48 }).map((a) => Uint8Array.from([0, 0, 0, 0, 1, ...a])),
    fc.uint8Array({ maxLength: 48 }).map((a) => Uint8Array.from([3, 0, ...Buffer.from('12345678123412341234123456789012', 'hex'), ...a])),
  );

  it('never make a codec throw or reject with anything but DecodeError / SchemaNotFoundError (property)', async () => {
    const confluent = memoryRegistry('confluent', {
      '1': { format: 'AVRO', definition: JSON.stringify(ORDER_V2), references: [] },
    });
    const protoRegistry = memoryRegistry('confluent', { '1': { format: 'PROTOBUF', definition: PROTO, references: [] } });
    const glue = memoryRegistry('glue', {
      '12345678-1234-1234-1234-123456789012': { format: 'PROTOBUF', definition: PROTO, references: [] },
    });
    const codecs: Array<SchemaCodec<unknown>> = [
      protobuf({ registry: protoRegistry }),
      protobuf({ registry: glue }),
      avro({ schema: ORDER_V2 }),
      avro({ registry: confluent }),
      avro({ registry: confluent, schema: ORDER_V1 }),
      protobuf({ schema: PROTO }),
      protobuf({ schema: PROTO, messageType: 'shop.Order' }),
      jsonSchema({ schema: ORDER_JSON_SCHEMA }),
      jsonSchema({ schema: ORDER_JSON_SCHEMA, framing: 'auto' }),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...codecs), payload, metadata, async (codec, bytes, meta) => {
        const error = await failure(Promise.resolve().then(() => codec.decode(Buffer.from(bytes), record(meta), 'value')));
        if (error !== undefined && !(error instanceof DecodeError) && !(error instanceof SchemaNotFoundError)) throw error;
      }),
      { numRuns: 3000 },
    );
  });
});
