// Powertools for AWS Lambda (TypeScript)'s public Kafka test events (test/fixtures/powertools/README.md):
// our router decodes them to the values Powertools' own tests assert, and to what Powertools' kafkaConsumer
// (a devDependency) decodes from the same bytes in the same run.
import { readFileSync } from 'node:fs';
import { kafkaConsumer } from '@aws-lambda-powertools/kafka';
import protobufjs from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { DEFAULT_TO_OBJECT, protobuf } from '../../../../src/runtime/codec/protobuf.js';
import { DecodeError } from '../../../../src/runtime/errors/index.js';
import { json } from '../../../../src/runtime/event/codec.js';
import type { KafkaRecord } from '../../../../src/runtime/event/record.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { run } from '../../../support/router.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/powertools/${name}`, import.meta.url), 'utf8');
const event = (name: string): { records: Record<string, unknown[]> } => JSON.parse(fixture(`${name}.json`));

// The schema and values from Powertools' deserializer.avro.test.ts / consumer.test.ts.
const PRODUCT_AVSC = `{
  "type": "record",
  "name": "Product",
  "fields": [
    { "name": "id", "type": "int" },
    { "name": "name", "type": "string" },
    { "name": "price", "type": "double" }
  ]
}`;
const LAPTOP = { id: 1001, name: 'Laptop', price: 999.99 };

// Powertools' parserSchema for the complex events (consumer.test.ts), as the route's Standard Schema.
const UserProfile = z.object({
  userId: z.string(),
  address: z.object({ city: z.string(), street: z.string(), zip: z.string() }),
  age: z.number().int().min(1),
  isActive: z.boolean(),
  preferences: z.object({ theme: z.string().optional() }),
  signupDate: z.string(),
  tags: z.array(z.string()),
});

interface Seen {
  value: unknown;
  key: unknown;
  offset: number;
}

async function decodeWithRouter(
  name: string,
  route: Omit<Parameters<typeof defineRoute>[0], 'handle' | 'topic'>,
  topic: string,
): Promise<{ seen: Seen[]; deadLetters: string[] }> {
  const seen: Seen[] = [];
  const report = await run(
    {
      routes: [
        defineRoute({
          ...route,
          topic,
          deadLetter: true,
          handle(value, ctx) {
            seen.push({ value, key: ctx.record.keyValue, offset: ctx.record.offset });
          },
        }),
      ],
    },
    event(name),
  );
  const deadLetters = report.messages
    .filter((m) => m.kind === 'dead-letter')
    .map((m) => Buffer.from(m.headers.find(([h]) => h === 'kafka_dlt-exception-fqcn')?.[1] ?? '').toString());
  return { seen, deadLetters };
}

async function decodeWithPowertools(name: string, value: Parameters<typeof kafkaConsumer>[1]): Promise<unknown[]> {
  const handler = kafkaConsumer(
    async (e) =>
      e.records.map((r) => {
        try {
          return r.value;
        } catch (error) {
          return error;
        }
      }),
    value,
  );
  return (await handler(event(name) as never, {} as never)) as unknown[];
}

describe('Powertools Kafka test events', () => {
  it('avro.json: raw Avro values and JSON keys, as consumer.test.ts asserts', async () => {
    const { seen, deadLetters } = await decodeWithRouter('avro', { codec: avro({ schema: PRODUCT_AVSC }), keyCodec: json }, 'mytopic');
    expect(deadLetters).toEqual([]);
    expect(seen[0]).toEqual({ value: LAPTOP, key: 42, offset: 15 });
    const theirs = await decodeWithPowertools('avro', { value: { type: 'avro', schema: PRODUCT_AVSC } });
    expect(seen.map((s) => s.value)).toEqual(theirs);
    expect(seen.map((s) => s.key)).toEqual([42, 42, null]);
  });

  it('protobuf.json: every record decodes, the two bare messages under Glue and Confluent metadata too (Powertools fails those two)', async () => {
    const { seen, deadLetters } = await decodeWithRouter('protobuf', { codec: protobuf({ schema: fixture('product.proto') }) }, 'mytopic');
    expect(deadLetters).toEqual([]);
    // Offsets 16 (a Glue schema version UUID) and 17 (Confluent schema id 2) carry a bare Product whose first
    // byte is 0x08, the tag of field 1: a message, not an index the removed header left behind.
    expect(seen).toEqual([
      { value: LAPTOP, key: undefined, offset: 15 },
      { value: { id: 1002, name: 'Smartphone', price: 599.99 }, key: undefined, offset: 16 },
      { value: { id: 1003, name: 'Headphones', price: 149.99 }, key: undefined, offset: 17 },
    ]);
    const Product = protobufjs.parse(fixture('product.proto')).root.lookupType('Product');
    const theirs = await decodeWithPowertools('protobuf', { value: { type: 'protobuf', schema: Product as never } });
    expect(Product.toObject(theirs[0] as protobufjs.Message, DEFAULT_TO_OBJECT)).toEqual(LAPTOP);
    expect((theirs[1] as Error).name).toBe('KafkaConsumerDeserializationError');
    expect((theirs[2] as Error).name).toBe('KafkaConsumerDeserializationError');
  });

  for (const [name, topic] of [
    ['protobuf-complex.confluent', 'confluent_proto'],
    ['protobuf-complex.glue', 'gsr_proto'],
  ] as const) {
    it(`${name}.json: the message index picks UserProfile, values pass Powertools' parser schema and equal Powertools' decode`, async () => {
      const { seen, deadLetters } = await decodeWithRouter(
        name,
        { codec: protobuf({ schema: fixture('complex.proto') }), schema: UserProfile },
        topic,
      );
      expect(deadLetters).toEqual([]);
      const UserProfileType = protobufjs
        .parse(fixture('complex.proto'), { keepCase: true })
        .root.lookupType('com.example.protobuf.UserProfile');
      const theirs = await decodeWithPowertools(name, { value: { type: 'protobuf', schema: UserProfileType as never } });
      // The handler gets the schema's output (zod drops the fields it does not declare): compare like with like.
      expect(seen.map((s) => s.value)).toEqual(
        theirs.map((m) => UserProfile.parse(UserProfileType.toObject(m as protobufjs.Message, DEFAULT_TO_OBJECT))),
      );
      expect(seen.length).toBe(name.endsWith('confluent') ? 4 : 1);
    });
  }

  it('decodes the complex events to the literal values in their bytes', async () => {
    const confluent = await decodeWithRouter(
      'protobuf-complex.confluent',
      { codec: protobuf({ schema: fixture('complex.proto') }) },
      'confluent_proto',
    );
    expect(confluent.seen[0]?.value).toEqual({
      userId: 'a8e40971-1552-420d-a7c9-b8982325702d',
      name: 'Bob',
      email: 'bob@example.com',
      age: 28,
      isActive: true,
      signupDate: '2024-02-02',
      tags: ['tag1', 'tag2'],
      preferences: { theme: 'light' },
      address: { street: '123 Ave', city: 'Seattle', zip: '98101' },
    });
    const glue = await decodeWithRouter('protobuf-complex.glue', { codec: protobuf({ schema: fixture('complex.proto') }) }, 'gsr_proto');
    expect(glue.seen[0]?.value).toEqual({
      userId: '123',
      name: 'Test',
      email: 'test@gmx.com',
      age: 10,
      isActive: false,
      signupDate: '2025-06-20',
      tags: ['tag1', 'tag2'],
      preferences: { theme: 'light' },
      address: { street: 'Mythenquai', city: 'Zurich', zip: '8002' },
    });
  });

  it('a fixed message type decodes the complex events too (indexes skipped)', async () => {
    const type = protobufjs.parse(fixture('complex.proto'), { keepCase: true }).root.lookupType('com.example.protobuf.UserProfile');
    const codec = protobuf({ type });
    const { seen } = await decodeWithRouter('protobuf-complex.glue', { codec }, 'gsr_proto');
    expect(seen[0]?.value).toMatchObject({ userId: '123' });
  });

  it('an Avro schema that does not match the bytes is a DecodeError naming no bytes', async () => {
    const wrong = avro({
      schema: {
        type: 'record',
        name: 'P',
        fields: [
          { name: 'id', type: 'long' },
          { name: 'tags', type: { type: 'array', items: 'string' } },
        ],
      },
    });
    const record = {
      topic: 'mytopic',
      partition: 0,
      offset: 15,
      valueSchemaMetadata: undefined,
      keySchemaMetadata: undefined,
    } as unknown as KafkaRecord;
    const bytes = Buffer.from('0g8MTGFwdG9wUrgehes/j0A=', 'base64');
    const error = await Promise.resolve()
      .then(() => wrong.decode(bytes, record, 'value'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).not.toMatch(/Laptop|0g8M/);
  });
});
