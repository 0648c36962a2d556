// Type tests: `npm run typecheck` (tsc) checks the @ts-expect-error lines; vitest runs the expectTypeOf calls.
import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod/mini';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { type BatchItem, bytes, defineBatchRoute, defineRoute, type KafkaRecord, text, to } from '../../../../src/runtime/index.js';

const Order = z.object({ id: z.string(), total: z.number() });

describe('route typing promises', () => {
  it('infers the handler value from the schema, else from the codec', () => {
    defineRoute({
      topic: 'orders',
      schema: Order,
      handle: (value) => {
        expectTypeOf(value).toEqualTypeOf<{ id: string; total: number }>();
      },
    });
    defineRoute({ topic: 'lines', codec: text, handle: (value) => expectTypeOf(value).toEqualTypeOf<string>() });
    defineRoute({ topic: 'blobs', codec: bytes, handle: (value) => expectTypeOf(value).toEqualTypeOf<Buffer>() });
  });

  it('lets ctx.publish name only declared topics', () => {
    defineRoute({
      topic: 'orders',
      schema: Order,
      publishes: [to('orders.valid'), to('orders.rejected')],
      handle: (value, ctx) => {
        ctx.publish('orders.valid', value);
        ctx.publish('orders.rejected', value.id);
        // @ts-expect-error not a declared publisher
        ctx.publish('orders.elsewhere', value);
      },
    });
  });

  it('types batch items, their publish and aggregates by the route', () => {
    defineBatchRoute({
      topic: 'orders',
      schema: Order,
      publishes: [to('totals')],
      handleBatch: (items, ctx) => {
        expectTypeOf(items).toEqualTypeOf<ReadonlyArray<BatchItem<{ id: string; total: number }, 'totals'>>>();
        expectTypeOf(items[0]?.record).toEqualTypeOf<KafkaRecord | undefined>();
        items[0]?.publish('totals', 1);
        // @ts-expect-error not a declared publisher
        items[0]?.publish('orders.elsewhere', 1);
        ctx.publishAggregate('totals', 1, { key: null });
        // @ts-expect-error an aggregate needs an explicit key
        ctx.publishAggregate('totals', 1, {});
        return items.map((item) => item.value.total);
      },
    });
  });

  it('accepts only nothing or a list from a batch handler', () => {
    defineBatchRoute({
      topic: 'orders',
      // @ts-expect-error a batch handler returns one result per item, not a single value
      handleBatch: () => 42,
    });
  });

  it('takes a typed schema codec for a publisher (an Avro output), inside publishes too', () => {
    const Recorded = { type: 'record', name: 'Recorded', fields: [{ name: 'id', type: 'string' }] };
    const recorded = avro<{ id: string }>({ schema: Recorded });
    to('payments.recorded', { codec: recorded });
    defineRoute({ topic: 'payments', publishes: [to('payments.recorded', { codec: recorded })], handle: () => ({ id: 'p' }) });
  });

  it('types map by an explicit value type; inside publishes TypeScript cannot infer it from the handler', () => {
    type Recorded = { id: string; euros: number };
    to<'payments.recorded', Recorded>('payments.recorded', {
      map: (value) => {
        expectTypeOf(value).toEqualTypeOf<Recorded>();
        return value.euros;
      },
    });
    // The to(...) call is checked before the handler's result type is inferred (a nested generic call is not
    // deferred as a context-sensitive argument is), so its value type stays unknown.
    defineRoute({
      topic: 'payments',
      handle: (): Recorded => ({ id: 'p', euros: 1 }),
      publishes: [to('payments.recorded', { map: (value) => expectTypeOf(value).toEqualTypeOf<unknown>() })],
    });
  });
});
