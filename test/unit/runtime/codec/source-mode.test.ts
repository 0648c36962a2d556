// Lambda's ESM in SOURCE mode "removes all schema metadata, such as the schema ID" (AWS docs). Whether the
// Confluent/Glue header stays in the bytes is UNCONFIRMED, so records arrive without schema metadata and
// either with the header or without it. These tests pin that both decode, and that nothing else happens silently.
import avsc from 'avsc';
import fc from 'fast-check';
import protobufjs from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { writeConfluentFrame } from '../../../../src/runtime/codec/framing/confluent.js';
import { writeGlueFrame } from '../../../../src/runtime/codec/framing/glue.js';
import { jsonSchema } from '../../../../src/runtime/codec/json-schema.js';
import { protobuf } from '../../../../src/runtime/codec/protobuf.js';
import { DecodeError, RegistryUnavailableError } from '../../../../src/runtime/errors/index.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { codecRecord, decodeValue, rejectionOf } from '../../../support/codec-decode.js';
import { memoryRegistry } from '../../../support/memory-registry.js';
import { run } from '../../../support/router.js';

// Two ints first: a value with x = 0 encodes to bytes starting 00 (a Confluent magic byte), x = -2 to 03 (Glue's version).
const POINT = {
  type: 'record',
  name: 'Point',
  namespace: 'shop',
  fields: [
    { name: 'x', type: 'int' },
    { name: 'y', type: 'int' },
    { name: 'label', type: 'string' },
  ],
};
const pointType = avsc.Type.forSchema(POINT as avsc.Schema);
const UUID = '7d55d475-2244-4485-8341-f74468c1e058';

interface Point {
  x: number;
  y: number;
  label: string;
}

const PROTO = `syntax = "proto3";
package shop;
message Order { string id = 1; int32 qty = 2; }
message Refund { string order_id = 1; int64 cents = 2; }`;
const protoRoot = protobufjs.parse(PROTO, { keepCase: true }).root;
const OrderType = protoRoot.lookupType('shop.Order');
const RefundType = protoRoot.lookupType('shop.Refund');

const _at = codecRecord;
const decode = decodeValue;
const failure = rejectionOf;

/** The ways a SOURCE-mode record may carry an Avro payload. */
function avroReadings(payload: Buffer): Record<string, Buffer> {
  return {
    'header removed': payload,
    'Confluent header kept': writeConfluentFrame(7, payload),
    'Glue header kept': writeGlueFrame(UUID, payload),
    'Glue header kept, zlib': writeGlueFrame(UUID, payload, { compress: true }),
  };
}

describe('SOURCE mode, Avro, a codec given a schema', () => {
  const origin = { x: 0, y: 0, label: 'origin-point' };
  const negative = { x: -2, y: 0, label: 'a label long enough for a Glue header' };

  it('the header-less payloads of these values start like a Confluent and a Glue header (so sniffing alone would misread them)', () => {
    expect([...pointType.toBuffer(origin).subarray(0, 2)]).toEqual([0x00, 0x00]);
    expect([...pointType.toBuffer(negative).subarray(0, 2)]).toEqual([0x03, 0x00]);
    expect(pointType.toBuffer(negative).length).toBeGreaterThanOrEqual(18);
  });

  for (const value of [origin, negative, { x: 5, y: 7, label: 'plain' }]) {
    for (const [reading, bytes] of Object.entries(avroReadings(pointType.toBuffer(value)))) {
      it(`decodes ${JSON.stringify(value)} with the ${reading}, without metadata or with a data format only`, async () => {
        const codec = avro<Point>({ schema: POINT, lambdaRecordFormat: 'SOURCE' });
        expect(await decode(codec, bytes)).toEqual(value);
        expect(await decode(codec, bytes, { dataFormat: 'AVRO' })).toEqual(value);
      });
    }
  }

  it('never yields a wrong value: any point, any reading, decodes to itself or is a DecodeError naming the ambiguity (property)', async () => {
    const codec = avro<Point>({ schema: POINT, lambdaRecordFormat: 'SOURCE' });
    const point = fc.record({
      x: fc.integer({ min: -3, max: 3 }),
      y: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      label: fc.string(),
    });
    let decoded = 0;
    await fc.assert(
      fc.asyncProperty(point, fc.constantFrom(...Object.keys(avroReadings(Buffer.alloc(0)))), async (value, reading) => {
        const bytes = avroReadings(pointType.toBuffer(value))[reading] as Buffer;
        const result = await decode(codec, bytes).catch((error: unknown) => error);
        if (result instanceof DecodeError)
          expect(result.message).toMatch(/decode both as a (Confluent|Glue)-framed payload and as a bare one/);
        else {
          expect(result).toEqual(value);
          decoded++;
        }
      }),
      { numRuns: 400 },
    );
    // Ambiguity is the rare case, not the way out of the property.
    expect(decoded).toBeGreaterThan(390);
  });

  it('bytes that read both ways are a DecodeError that names the record and the setting, not a guess', async () => {
    // A true tie: bare, 00 00 0a 41 41 02 02 00 is {x: 0, y: 0, label: "AA\u0002\u0002\u0000"}; past a 5-byte
    // "header" (schema id 0x000a4141), 02 02 00 is {x: 1, y: 1, label: ""}.
    const tail = pointType.toBuffer({ x: 1, y: 1, label: '' });
    expect([...tail]).toEqual([2, 2, 0]);
    const head = Buffer.from([0x00, 0x00, 0x0a, 0x41, 0x41]);
    const tie = Buffer.concat([head, tail]);
    expect(pointType.isValid(pointType.fromBuffer(tie))).toBe(true);
    expect(pointType.fromBuffer(tie.subarray(5))).toEqual({ x: 1, y: 1, label: '' });
    const error = await failure(decode(avro<Point>({ schema: POINT, lambdaRecordFormat: 'SOURCE' }), tie));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).at).toEqual({ topic: 'orders', partition: 1, offset: 42 });
    expect((error as Error).message).toMatch(/set the codec's framing to 'confluent' or 'none'/);
    // Told which reading applies, the same codec configuration decodes it.
    expect(await decode(avro<Point>({ schema: POINT, framing: 'confluent' }), tie)).toEqual({ x: 1, y: 1, label: '' });
    expect(await decode(avro<Point>({ schema: POINT, framing: 'none' }), tie)).toEqual(pointType.fromBuffer(tie));
  });

  it('without the SOURCE setting a kept header is a DecodeError that says which setting reads it', async () => {
    const bytes = writeConfluentFrame(7, pointType.toBuffer({ x: 5, y: 7, label: 'plain' }));
    const error = await failure(decode(avro<Point>({ schema: POINT }), bytes));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).toMatch(/start like a Confluent header: .*lambdaRecordFormat: 'SOURCE'/);
    expect((error as Error).message).toMatch(/at orders-1@42/);
  });
});

describe('SOURCE mode, Protobuf', () => {
  const order = { id: 'o-1', qty: 2 };
  const refund = { order_id: 'o-1', cents: '250' };
  const orderBytes = Buffer.from(OrderType.encode(order).finish());
  const refundBytes = Buffer.from(RefundType.encode({ order_id: 'o-1', cents: 250 }).finish());

  const readings: Array<[string, Buffer, unknown]> = [
    ['bare message', orderBytes, order],
    ['header removed, message index 0 kept', Buffer.concat([Buffer.from([0]), orderBytes]), order],
    ['header removed, message index [1] kept', Buffer.concat([Buffer.from([2, 2]), refundBytes]), refund],
    ['Confluent header kept', writeConfluentFrame(7, Buffer.concat([Buffer.from([0]), orderBytes])), order],
    ['Confluent header kept, index [1]', writeConfluentFrame(7, Buffer.concat([Buffer.from([2, 2]), refundBytes])), refund],
    // Glue numbers the file's messages by sorted full name: shop.Order = 0, shop.Refund = 1.
    ['Glue header kept', writeGlueFrame(UUID, Buffer.concat([Buffer.from([0]), orderBytes])), order],
    ['Glue header kept, index 1, zlib', writeGlueFrame(UUID, Buffer.concat([Buffer.from([1]), refundBytes]), { compress: true }), refund],
  ];

  for (const [reading, bytes, expected] of readings) {
    it(`decodes the ${reading}`, async () => {
      expect(await decode(protobuf({ schema: PROTO, lambdaRecordFormat: 'SOURCE' }), bytes)).toEqual(expected);
    });
  }

  it('reads a kept message index even without the SOURCE setting: a bare message cannot start with bytes 0-7', async () => {
    expect(orderBytes[0]).toBe(0x0a);
    expect(await decode(protobuf({ schema: PROTO }), Buffer.concat([Buffer.from([0]), orderBytes]))).toEqual(order);
    expect(await decode(protobuf({ schema: PROTO }), Buffer.concat([Buffer.from([2, 2]), refundBytes]))).toEqual(refund);
    const fixed = protobuf({ schema: PROTO, messageType: 'shop.Refund' });
    expect(await decode(fixed, Buffer.concat([Buffer.from([2, 2]), refundBytes]))).toEqual(refund);
  });
});

describe('SOURCE mode, JSON Schema', () => {
  it('decodes the JSON text with the Confluent or Glue header kept, and without it', async () => {
    const codec = jsonSchema({ schema: { type: 'object', required: ['id'] }, lambdaRecordFormat: 'SOURCE' });
    const text = Buffer.from('{"id":"o-1"}');
    for (const bytes of [text, writeConfluentFrame(7, text), writeGlueFrame(UUID, text, { compress: true })]) {
      expect(await decode(codec, bytes)).toEqual({ id: 'o-1' });
    }
  });
});

describe('SOURCE mode with a registry', () => {
  const schemas = { '7': { format: 'AVRO' as const, definition: JSON.stringify(POINT), references: [] } };

  it('a kept header decodes through the registry; a removed one is a DecodeError naming the record and the fix', async () => {
    const registry = memoryRegistry('confluent', schemas);
    const codec = avro<Point>({ registry, lambdaRecordFormat: 'SOURCE' });
    const value = { x: 5, y: 7, label: 'plain' };
    expect(await decode(codec, writeConfluentFrame(7, pointType.toBuffer(value)))).toEqual(value);
    const error = await failure(decode(codec, pointType.toBuffer(value)));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).toMatch(/names no schema .*SOURCE mode.*give it a schema too \(at orders-1@42\)/);
  });

  it('with a schema of its own too, a removed header decodes with that schema, even when the bytes start like one', async () => {
    const registry = memoryRegistry('confluent', schemas);
    const codec = avro<Point>({ registry, schema: POINT, lambdaRecordFormat: 'SOURCE' });
    const origin = { x: 0, y: 0, label: 'origin-point' };
    expect(await decode(codec, pointType.toBuffer(origin))).toEqual(origin);
    // The sniffed "id" (bytes 1-4) was looked up and is unknown; the bare reading won.
    expect([...registry.calls.keys()]).toEqual([String(pointType.toBuffer(origin).readUInt32BE(1))]);
    expect(await decode(codec, writeConfluentFrame(7, pointType.toBuffer(origin)))).toEqual(origin);
  });

  it('a registry outage while choosing is retryable, not a verdict on the record', async () => {
    const registry = memoryRegistry('confluent', schemas);
    registry.down = true;
    const codec = avro<Point>({ registry, schema: POINT, lambdaRecordFormat: 'SOURCE' });
    const error = await failure(decode(codec, pointType.toBuffer({ x: 0, y: 0, label: 'origin-point' })));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect((error as RegistryUnavailableError).permanent).toBe(false);
  });
});

describe('SOURCE mode through the router', () => {
  it('one batch mixing kept and removed headers: every record handled, values pass the route schema, nothing dead-lettered', async () => {
    const points = [
      { x: 0, y: 0, label: 'origin-point' },
      { x: -2, y: 0, label: 'a label long enough for a Glue header' },
      { x: 5, y: 7, label: 'plain' },
      { x: 1, y: 2, label: 'zlib' },
    ];
    const values = [
      pointType.toBuffer(points[0]),
      pointType.toBuffer(points[1]),
      writeConfluentFrame(7, pointType.toBuffer(points[2])),
      writeGlueFrame(UUID, pointType.toBuffer(points[3]), { compress: true }),
    ];
    const seen: unknown[] = [];
    const report = await run(
      {
        routes: [
          defineRoute({
            topic: 'points',
            codec: avro<Point>({ schema: POINT, lambdaRecordFormat: 'SOURCE' }),
            schema: z.object({ x: z.number().int(), y: z.number().int(), label: z.string().min(1) }),
            deadLetter: true,
            handle(point) {
              seen.push(point);
            },
          }),
        ],
      },
      values.map((value) => ({ topic: 'points', partition: 0, value })),
    );
    expect(report.totals).toMatchObject({ records: 4, handled: 4, deadLettered: 0, failed: 0 });
    expect(seen).toEqual(points);
  });
});
