import { loadavg } from 'node:os';
import { kafkaConsumer, SchemaType } from '@aws-lambda-powertools/kafka';
import avsc from 'avsc';
import type { Context } from 'aws-lambda';
import protobufjs from 'protobufjs';
import { buildKafkaEvent, type EventMessage } from '../src/harness/testing/build-event.js';
import { avro } from '../src/runtime/codec/avro.js';
import { writeConfluentFrame } from '../src/runtime/codec/framing/confluent.js';
import { DEFAULT_TO_OBJECT, protobuf } from '../src/runtime/codec/protobuf.js';
import type { RegisteredSchema, SchemaRegistry } from '../src/runtime/codec/registry.js';
import type { KafkaEvent } from '../src/runtime/event/types.js';
import { type Codec, createKafkaHandler, createRouter, defineRoute, silentLogger } from '../src/runtime/index.js';
import { machineLine } from './lib/report.js';
import { formatNumber, measureInterleaved, pairedMedianRatio } from './lib/stats.js';

/** Options of {@link benchSchemaDispatch}. */
export interface SchemaDispatchBenchOptions {
  readonly smoke?: boolean;
}

const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'bench' } as unknown as Context;

const ORDER_AVSC = {
  type: 'record',
  name: 'Order',
  namespace: 'bench',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'customer', type: 'string' },
    { name: 'sku', type: 'string' },
    { name: 'qty', type: 'int' },
    { name: 'note', type: 'string' },
  ],
};
const ORDER_PROTO = `syntax = "proto3";
package bench;
message Order { int32 id = 1; string customer = 2; string sku = 3; int32 qty = 4; string note = 5; }
`;

interface Order {
  id: number;
  customer: string;
  sku: string;
  qty: number;
  note: string;
}

function orders(count: number, valueBytes: number): Order[] {
  return Array.from({ length: count }, (_, i) => {
    const note = i % 4 === 0 ? 'Crème brûlée für Zoë — ☕ ' : 'plain ascii text here ';
    const base = 40;
    return {
      id: i,
      customer: `customer-${i % 97}`,
      sku: `SKU-${i % 13}`,
      qty: (i % 5) + 1,
      note: note.repeat(Math.ceil(valueBytes / note.length)).slice(0, valueBytes - base),
    };
  });
}

function eventOf(payloads: readonly Buffer[], dataFormat?: 'PROTOBUF', partitions = 4): KafkaEvent {
  // Powertools' Protobuf path reads valueSchemaMetadata, which Lambda sets (data format only, as in its protobuf.json event).
  const messages: EventMessage[] = payloads.map((value, i) => ({
    topic: 'orders',
    partition: i % partitions,
    key: `customer-${i % 97}`,
    value,
    ...(dataFormat ? { valueSchemaMetadata: { dataFormat } } : {}),
  }));
  return JSON.parse(JSON.stringify(buildKafkaEvent(messages, { timestamp: 1_700_000_000_000 })));
}

/** A registry that already holds the schema: the bench measures warm decoding, not lookups. */
function warmRegistry(schema: RegisteredSchema): SchemaRegistry {
  return { kind: 'confluent', description: 'in-memory registry', schemaById: async () => schema };
}

/**
 * Avro and Protobuf dispatch of 1,000 ~1 KB records: the bare library decode
 * (base64 + avsc `fromBuffer` / protobufjs `decode`), our whole handler with a
 * no-op route (unframed with the schema given, and Confluent-framed through a
 * warm registry), and Powertools' `kafkaConsumer`, interleaved in one run.
 */
export async function benchSchemaDispatch(
  options: SchemaDispatchBenchOptions = {},
): Promise<{ markdown: string; ratios: Record<string, number> }> {
  const settings = options.smoke ? { warmup: 2, samples: 3, passes: 1 } : { warmup: 10, samples: 25, passes: 12 };
  const values = orders(options.smoke ? 200 : 1_000, 1_000);
  let sink = 0;
  const sections: string[] = [];
  const ratios: Record<string, number> = {};

  const avroType = avsc.Type.forSchema(ORDER_AVSC as avsc.Schema);
  const protoType = protobufjs.parse(ORDER_PROTO, { keepCase: true }).root.lookupType('bench.Order');
  const formats = [
    {
      name: 'Avro',
      key: 'avro',
      encode: (o: Order) => avroType.toBuffer(o),
      floor: (bytes: Buffer) => (avroType.fromBuffer(bytes) as Order).id,
      floorName: 'avsc `Type.fromBuffer`',
      codec: () => avro<Order>({ schema: ORDER_AVSC }),
      framedCodec: () =>
        avro<Order>({ registry: warmRegistry({ format: 'AVRO', definition: JSON.stringify(ORDER_AVSC), references: [] }) }),
      framePayload: (payload: Buffer) => writeConfluentFrame(1, payload),
      powertools: { type: SchemaType.AVRO, schema: JSON.stringify(ORDER_AVSC) } as const,
    },
    {
      name: 'Protobuf',
      key: 'protobuf',
      encode: (o: Order) => Buffer.from(protoType.encode(o).finish()),
      floor: (bytes: Buffer) => (protoType.decode(bytes) as unknown as Order).id,
      floorName: 'protobufjs `Type.decode`',
      codec: () => protobuf<Order>({ schema: ORDER_PROTO }),
      framedCodec: () => protobuf<Order>({ registry: warmRegistry({ format: 'PROTOBUF', definition: ORDER_PROTO, references: [] }) }),
      framePayload: (payload: Buffer) => writeConfluentFrame(1, Buffer.concat([Buffer.from([0]), payload])),
      powertools: { type: SchemaType.PROTOBUF, schema: protoType } as const,
    },
  ];

  for (const format of formats) {
    const payloads = values.map(format.encode);
    const event = eventOf(payloads, format.key === 'protobuf' ? 'PROTOBUF' : undefined);
    const framedEvent = eventOf(payloads.map(format.framePayload));
    const records = Object.values(event.records).flat();
    const handlerFor = (codec: Codec<Order>) =>
      createKafkaHandler(
        createRouter({
          routes: [
            defineRoute({
              topic: 'orders',
              codec,
              handle: (order: Order) => {
                sink ^= order.id;
              },
            }),
          ],
          unmatched: 'fail',
          logger: silentLogger,
        }),
      );
    const ours = handlerFor(format.codec());
    const oursFramed = handlerFor(format.framedCodec());
    const powertools = kafkaConsumer<string, Order>(
      async (batch) => {
        for (const record of batch.records) sink ^= record.value.id;
      },
      { value: format.powertools as never },
    );
    const floor = {
      name: `(a) floor: Buffer.from(base64) + ${format.floorName}`,
      run: () => {
        for (const record of records) sink ^= format.floor(Buffer.from(record.value as string, 'base64'));
        return records.length;
      },
    };
    const floorObject = {
      name: '(a′) floor + protobufjs `toObject` (what our codec returns: plain objects, defaults filled in)',
      run: () => {
        for (const record of records) {
          const message = protoType.decode(Buffer.from(record.value as string, 'base64'));
          sink ^= (protoType.toObject(message, DEFAULT_TO_OBJECT) as Order).id;
        }
        return records.length;
      },
    };
    const run =
      (handler: (event: KafkaEvent, context: Context) => Promise<{ batchItemFailures: unknown[] }>, on: KafkaEvent) => async () => {
        const response = await handler(on, context);
        if (response.batchItemFailures.length) throw new Error('unexpected failures');
        return records.length;
      };
    const oursVariant = { name: `(b) kafka-lambda-router: full handler, ${format.key}({ schema }), no-op route`, run: run(ours, event) };
    const framedVariant = {
      name: `(b′) same, Confluent-framed through a warm registry`,
      run: run(oursFramed, framedEvent),
    };
    const peer = {
      name: `(c) @aws-lambda-powertools/kafka kafkaConsumer (${format.key === 'avro' ? 'avro-js' : 'protobufjs'})`,
      run: async () => {
        await powertools(event as Parameters<typeof powertools>[0], context);
        return records.length;
      },
    };
    await ours(event, context); // loads the library and compiles the schema before timing
    await oursFramed(framedEvent, context);
    const variants =
      format.key === 'protobuf' ? [floor, floorObject, oursVariant, framedVariant, peer] : [floor, oursVariant, framedVariant, peer];
    const results = await measureInterleaved(variants, settings);
    const median = (name: string) => results.get(name)?.median ?? Number.NaN;
    const fastest = (name: string) => results.get(name)?.min ?? Number.NaN;
    const a = median(floor.name);
    const b = median(oursVariant.name);
    const c = median(peer.name);
    ratios[`${format.key} b/a`] = b / a;
    ratios[`${format.key} b/c`] = b / c;
    ratios[`${format.key} b/a fastest`] = fastest(oursVariant.name) / fastest(floor.name);
    ratios[`${format.key} b'/a`] = median(framedVariant.name) / a;
    const paired = (name: string) => pairedMedianRatio(results.get(name), results.get(floor.name));
    ratios[`${format.key} b/a paired`] = paired(oursVariant.name);
    ratios[`${format.key} b'/a paired`] = paired(framedVariant.name);
    if (format.key === 'protobuf') ratios['protobuf b/a′'] = b / median(floorObject.name);
    sections.push(
      [
        `### ${format.name}`,
        '',
        '| variant | ns/record (median) | min–max |',
        '|---|---:|---:|',
        ...[...results].map(([name, s]) => `| ${name} | ${formatNumber(s.median)} | ${formatNumber(s.min)}–${formatNumber(s.max)} |`),
        '',
        '| ratio | measured | target | met |',
        '|---|---:|---:|---|',
        `| (b) / (a): ours vs the bare library decode | ${(b / a).toFixed(2)}× | ≤ 1.5× | ${b / a <= 1.5 ? 'yes' : '**no**'} |`,
        `| (b) / (a) on the fastest samples (less exposed to other load on the machine) | ${(fastest(oursVariant.name) / fastest(floor.name)).toFixed(2)}× | – | – |`,
        `| (b) / (a), median of the per-round ratios (each round times every variant back to back) | ${ratios[`${format.key} b/a paired`]?.toFixed(2)}× | – | – |`,
        ...(format.key === 'protobuf'
          ? [`| (b) / (a′): ours vs decode + toObject | ${ratios['protobuf b/a′']?.toFixed(2)}× | – | – |`]
          : []),
        `| (b′) / (a): Confluent-framed through the registry vs the bare decode | ${(median(framedVariant.name) / a).toFixed(2)}× | – | – |`,
        `| (b′) / (a), median of the per-round ratios | ${ratios[`${format.key} b'/a paired`]?.toFixed(2)}× | – | – |`,
        `| (b) / (c): ours vs Powertools | ${(b / c).toFixed(2)}× | ≤ 0.5× | ${b / c <= 0.5 ? 'yes' : '**no**'} |`,
        ...(format.key === 'protobuf'
          ? [
              '',
              `What \`toObject\` costs here, (a′) − (a): ${formatNumber(median(floorObject.name) - a)} ns/record on the medians, ${formatNumber(fastest(floorObject.name) - fastest(floor.name))} ns on the fastest samples.`,
            ]
          : []),
      ].join('\n'),
    );
  }
  if (sink === 0.5) console.log(sink); // keep the work observable

  const markdown = [
    '## Avro and Protobuf dispatch (issue 15)',
    '',
    `Command: \`npm run bench -- schema-dispatch\` · ${machineLine()} · ${settings.samples} samples × ${settings.passes} passes after ${settings.warmup} warm-up passes, interleaved · load average at the end ${loadavg()[0]?.toFixed(1)}`,
    '',
    `Event: ${values.length} records over 4 partitions, ~1 KB values (1 in 4 non-ASCII), unframed for (a), (b) and (c) (Powertools expects bare Avro), Confluent-framed for (b′). Codecs warm (library loaded, schema compiled) before timing.`,
    '',
    sections.join('\n\n'),
  ].join('\n');
  return { markdown, ratios };
}
