import { describe, expect, it } from 'vitest';
import { createTestBroker } from '../../../../src/harness/testing/index.js';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { protobuf } from '../../../../src/runtime/codec/protobuf.js';
import { defineRoute, PermanentError } from '../../../../src/runtime/index.js';

const PAYMENT = {
  type: 'record',
  name: 'Payment',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'cents', type: 'long' },
  ],
};

describe('test broker: values through the route’s codec, dead letters typed', () => {
  it('encodes a plain object with the Avro codec of the route that consumes the topic (no codec.ready() in the test)', async () => {
    const seen: unknown[] = [];
    const route = defineRoute({
      topic: 'payments',
      codec: avro<{ id: string; cents: number }>({ schema: PAYMENT }),
      handle(payment) {
        seen.push(payment);
      },
    });
    const broker = await createTestBroker({ routes: [route] });
    const result = await broker.publish('payments', { id: 'p-1', cents: 100 });
    expect(result.response).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([{ id: 'p-1', cents: 100 }]);
    // The record carried Avro, not JSON text.
    const sent = Object.values(result.invocations[0]?.event.records ?? {})[0]?.[0];
    expect(Buffer.from(sent?.value ?? '', 'base64').toString()).not.toContain('{');
  });

  it('encodes with Protobuf too, and sends a Buffer as it is (a poison pill)', async () => {
    const seen: unknown[] = [];
    const route = defineRoute({
      topic: 'clicks',
      codec: protobuf({ schema: 'syntax = "proto3"; message Click { string url = 1; }' }),
      deadLetter: true,
      handle(click) {
        seen.push(click);
      },
    });
    const broker = await createTestBroker({ routes: [route] });
    await broker.publish('clicks', { url: 'https://example.com' });
    expect(seen).toEqual([{ url: 'https://example.com' }]);
    const poison = await broker.publish('clicks', Buffer.from([0xff, 0xff, 0xff]));
    expect(poison.deadLettered).toHaveLength(1);
  });

  it('reads dead letters’ Spring headers typed: partition and offset as numbers', async () => {
    const route = defineRoute({
      topic: 'orders',
      deadLetter: true,
      handle() {
        throw new PermanentError('no such customer');
      },
    });
    const broker = await createTestBroker({ routes: [route] });
    await broker.publishBatch('orders', [
      { value: { n: 1 }, partition: 3 },
      { value: { n: 2 }, partition: 3 },
    ]);
    const dead = broker.deadLetters('orders.DLT');
    expect(dead.map((d) => d.deadLetter)).toEqual([
      expect.objectContaining({
        originalTopic: 'orders',
        originalPartition: 3,
        originalOffset: 0,
        exceptionFqcn: 'PermanentError',
        exceptionMessage: 'no such customer',
      }),
      expect.objectContaining({ originalPartition: 3, originalOffset: 1 }),
    ]);
    expect(typeof dead[0]?.deadLetter.originalTimestamp).toBe('number');
    expect(dead[0]?.value).toEqual({ n: 1 });
  });
});
