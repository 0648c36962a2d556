import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { writeConfluentFrame } from '../../../../src/runtime/codec/framing/confluent.js';
import { json } from '../../../../src/runtime/event/codec.js';
import { defineBatchRoute, defineRoute } from '../../../../src/runtime/router/route.js';
import { mutableEvent, recordOf } from '../../../support/events.js';
import { memoryRegistry } from '../../../support/memory-registry.js';
import { run } from '../../../support/router.js';

const ORDER = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'qty', type: 'int' },
  ],
};
const KEY = { type: 'record', name: 'OrderKey', fields: [{ name: 'customer', type: 'string' }] };

async function encoded(schema: object, value: unknown, id?: number): Promise<Buffer> {
  const codec = avro({ schema });
  await codec.ready();
  const payload = codec.encode(value);
  return id === undefined ? payload : writeConfluentFrame(id, payload);
}

function eventWith(values: Buffer[], keys?: Buffer[]) {
  const event = mutableEvent(values.map((_, i) => ({ topic: 'orders', partition: 0, value: `placeholder-${i}` })));
  values.forEach((value, i) => {
    const rec = recordOf(event, 'orders-0', i);
    rec.value = value.toString('base64');
    rec.key = keys?.[i]?.toString('base64') ?? null;
  });
  return event;
}

describe('routes with schema codecs', () => {
  it('decodes Avro keys and values, then validates the value with the route schema', async () => {
    const seen: unknown[] = [];
    const event = eventWith(
      [await encoded(ORDER, { id: 'o-1', qty: 2 }), await encoded(ORDER, { id: 'o-2', qty: 0 })],
      [await encoded(KEY, { customer: 'c-1' }), await encoded(KEY, { customer: 'c-2' })],
    );
    const report = await run(
      {
        routes: [
          defineRoute({
            topic: 'orders',
            codec: avro({ schema: ORDER }),
            keyCodec: avro({ schema: KEY }),
            schema: z.object({ id: z.string(), qty: z.number().min(1) }),
            deadLetter: true,
            handle(order, ctx) {
              seen.push({ order, key: ctx.record.keyValue });
            },
          }),
        ],
      },
      event,
    );
    expect(seen).toEqual([{ order: { id: 'o-1', qty: 2 }, key: { customer: 'c-1' } }]);
    expect(report.totals).toMatchObject({ handled: 1, deadLettered: 1 });
  });

  it('a key that does not decode is a DecodeError for the key part', async () => {
    const event = eventWith([await encoded(ORDER, { id: 'o-1', qty: 2 })], [Buffer.from('not json')]);
    const report = await run(
      { routes: [defineRoute({ topic: 'orders', codec: avro({ schema: ORDER }), keyCodec: json, handle() {} })] },
      event,
    );
    expect(report.failures[0]?.error).toMatchObject({ name: 'DecodeError', part: 'key' });
  });

  it('an unknown schema id dead-letters the record; a registry outage fails the lane without dead-lettering', async () => {
    const registry = memoryRegistry('confluent', { '1': { format: 'AVRO', definition: JSON.stringify(ORDER), references: [] } });
    const values = [
      await encoded(ORDER, { id: 'o-1', qty: 1 }, 1),
      await encoded(ORDER, { id: 'o-2', qty: 1 }, 77),
      await encoded(ORDER, { id: 'o-3', qty: 1 }, 1),
    ];
    const handled: string[] = [];
    const route = defineRoute({
      topic: 'orders',
      codec: avro<{ id: string }>({ registry }),
      deadLetter: true,
      handle(order) {
        handled.push(order.id);
      },
    });
    const ok = await run({ routes: [route] }, eventWith(values));
    expect(handled).toEqual(['o-1', 'o-3']);
    expect(ok.totals).toMatchObject({ handled: 2, deadLettered: 1, failed: 0 });
    expect(
      ok.messages
        .find((m) => m.kind === 'dead-letter')
        ?.headers.find(([h]) => h === 'kafka_dlt-exception-fqcn')?.[1]
        .toString(),
    ).toBe('SchemaNotFoundError');

    const cold = memoryRegistry('confluent', { '1': { format: 'AVRO', definition: JSON.stringify(ORDER), references: [] } });
    cold.down = true;
    const down = await run({ routes: [{ ...route, codec: avro({ registry: cold }) }] }, eventWith(values));
    expect(down.totals).toMatchObject({ handled: 0, deadLettered: 0, failed: 3 });
    expect(down.failures[0]).toMatchObject({ at: { offset: 0 }, error: { code: 'REGISTRY_UNAVAILABLE' } });
  });

  it('batch routes decode through the registry too', async () => {
    const registry = memoryRegistry('confluent', { '1': { format: 'AVRO', definition: JSON.stringify(ORDER), references: [] } });
    const ids: string[] = [];
    await run(
      {
        routes: [
          defineBatchRoute({
            topic: 'orders',
            codec: avro<{ id: string }>({ registry }),
            handleBatch(items) {
              for (const item of items) ids.push((item.value as { id: string }).id);
            },
          }),
        ],
      },
      eventWith([await encoded(ORDER, { id: 'a', qty: 1 }, 1), await encoded(ORDER, { id: 'b', qty: 1 }, 1)]),
    );
    expect(ids).toEqual(['a', 'b']);
    expect(registry.calls.get('1')).toBe(1);
  });
});
