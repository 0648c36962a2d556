import { describe, expect, it } from 'vitest';
import * as zm from 'zod/mini';
import type { LocalFunction } from '../../../../../src/harness/local/emulator/functions.js';
import type { EventSourceSettings } from '../../../../../src/harness/local/emulator/types.js';
import { sampleEventFor } from '../../../../../src/harness/local/samples/function-event.js';
import { avro } from '../../../../../src/runtime/codec/avro.js';
import { protobuf } from '../../../../../src/runtime/codec/protobuf.js';
import { parseKafkaEvent } from '../../../../../src/runtime/event/parse.js';
import { defineRoute } from '../../../../../src/runtime/router/route.js';
import { createRouter, type Router } from '../../../../../src/runtime/router/router.js';

const PAYMENT = {
  type: 'record',
  name: 'Payment',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'cents', type: 'long' },
  ],
};
const Payment = zm.object({ id: zm.string(), cents: zm.number() });

/** A local function around `router`, with one msk event source (what loadLocalFunctions gives). */
function localFunction(router: Router, source: Partial<EventSourceSettings> = {}): LocalFunction {
  return {
    name: 'recordPayments',
    invoke: async () => ({ batchItemFailures: [] }),
    eventSources: [{ topic: 'payments', kind: 'msk', ...source }],
    topics: ['payments'],
    router: () => router,
    close: async () => undefined,
  };
}

/** Every record of the event decoded through the route, as the router would. */
async function decodeAll(router: Router, event: unknown): Promise<unknown[]> {
  const compiled = router.table.resolve('payments');
  const records = parseKafkaEvent(event).lanes.flatMap((lane) => lane.records);
  return Promise.all(records.map((record) => compiled?.codec.decode(record.valueBytes as Buffer, record, 'value')));
}

describe('sampleEventFor', () => {
  it('writes Avro samples for a route whose handler module never called codec.ready()', async () => {
    const route = defineRoute({
      topic: 'payments',
      codec: avro({ schema: PAYMENT, lambdaRecordFormat: 'SOURCE' }),
      schema: Payment,
      handle: () => undefined,
    });
    const router = createRouter({ routes: [route], unmatched: 'fail' });
    const sample = await sampleEventFor(localFunction(router), { count: 2 });
    expect(sample?.topics[0]).toMatchObject({ origin: 'schema', format: 'AVRO', problem: undefined });
    const values = await decodeAll(router, sample?.event);
    expect(values).toHaveLength(2);
    for (const value of values) expect(zm.safeParse(Payment, value).success).toBe(true);
  });

  it('writes Protobuf samples from the samples file', async () => {
    const proto = 'syntax = "proto3"; message Payment { string id = 1; int64 cents = 2; }';
    const route = defineRoute({ topic: 'payments', codec: protobuf({ schema: proto }), handle: () => undefined });
    const router = createRouter({ routes: [route], unmatched: 'fail' });
    const sample = await sampleEventFor(localFunction(router), { count: 1, samples: { payments: [{ id: 'p-1', cents: '250' }] } });
    expect(await decodeAll(router, sample?.event)).toEqual([{ id: 'p-1', cents: '250' }]);
  });

  it('renders JSON text with the format in valueSchemaMetadata for a mapping whose registry is in JSON mode, as Lambda does', async () => {
    const route = defineRoute({ topic: 'payments', codec: avro({ schema: PAYMENT }), schema: Payment, handle: () => undefined });
    const router = createRouter({ routes: [route], unmatched: 'fail' });
    const fn = localFunction(router, { schemaRegistry: { uri: 'http://127.0.0.1:9', eventRecordFormat: 'JSON', attributes: ['VALUE'] } });
    const sample = await sampleEventFor(fn, { count: 1, samples: { payments: [{ id: 'p-2', cents: 7 }] } });
    const record = Object.values(sample?.event.records ?? {})[0]?.[0];
    expect(record?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO' });
    expect(Buffer.from(record?.value ?? '', 'base64').toString()).toBe('{"id":"p-2","cents":7}');
    expect(await decodeAll(router, sample?.event)).toEqual([{ id: 'p-2', cents: 7 }]);
  });
});
