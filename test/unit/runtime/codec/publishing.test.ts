import { AvroDeserializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from '../../../../src/harness/local/registry/server.js';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { jsonSchema } from '../../../../src/runtime/codec/json-schema.js';
import { protobuf } from '../../../../src/runtime/codec/protobuf.js';
import { autoRegisterDefault } from '../../../../src/runtime/codec/subjects.js';
import { confluentRegistry } from '../../../../src/runtime/registry/confluent.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { run } from '../../../support/router.js';
import { AVRO_ORDER } from '../../../support/shop-order.js';

const ORDER = AVRO_ORDER;
const PROTO = 'syntax = "proto3";\npackage shop;\nmessage Shipment { string id = 1; }\n';

let local: LocalRegistry;
beforeAll(async () => {
  local = await startLocalRegistry();
});
afterAll(() => local.close());

function relay(publishes: ReturnType<typeof to>[]) {
  return defineRoute({
    topic: 'orders',
    publishes,
    handle: (order: unknown) => order,
  });
}

describe('publishing with Confluent framing through a registry', () => {
  it('registers under <topic>-value, frames with the id, and Confluent’s deserializer reads it', async () => {
    const registry = confluentRegistry({ url: local.url });
    const report = await run({ routes: [relay([to('orders.avro', { codec: avro({ schema: ORDER, registry, autoRegister: true }) })])] }, [
      { topic: 'orders', partition: 0, value: { id: 'o-1', qty: 2 } },
    ]);
    const value = report.messages[0]?.value as Buffer;
    const id = local.store.versions('orders.avro-value')?.[0]?.id;
    expect(id).toBeGreaterThan(0);
    expect(value.subarray(0, 5).toString('hex')).toBe(`00${(id as number).toString(16).padStart(8, '0')}`);
    const theirs = new AvroDeserializer(new SchemaRegistryClient({ baseURLs: [local.url] }), SerdeType.VALUE, {});
    expect(await theirs.deserialize('orders.avro', value)).toEqual({ id: 'o-1', qty: 2 });
  });

  it('names subjects by record and topic-record strategies too', async () => {
    const registry = confluentRegistry({ url: local.url });
    await run(
      {
        routes: [
          relay([
            to('a.avro', { codec: avro({ schema: ORDER, registry, autoRegister: true, subjectNameStrategy: 'record' }) }),
            to('b.proto', {
              codec: protobuf({ schema: PROTO, registry, autoRegister: true, subjectNameStrategy: 'topic-record' }),
              map: () => ({ id: 's-1' }),
            }),
            to('c.json', {
              codec: jsonSchema({
                schema: { title: 'Note', type: 'object' },
                registry,
                autoRegister: true,
                subjectNameStrategy: ({ topic }) => `custom-${topic}`,
              }),
            }),
          ]),
        ],
      },
      [{ topic: 'orders', partition: 0, value: { id: 'o-2', qty: 1 } }],
    );
    expect(local.store.subjectNames()).toEqual(expect.arrayContaining(['shop.Order', 'b.proto-shop.Shipment', 'custom-c.json']));
    expect(local.store.schema(local.store.versions('b.proto-shop.Shipment')?.[0]?.id ?? 0)?.schemaType).toBe('PROTOBUF');
  });

  it('with auto-registration off, an unregistered subject fails the lane (redelivered, nothing dead-lettered) until it is registered', async () => {
    const registry = confluentRegistry({ url: local.url });
    const route = defineRoute({
      topic: 'orders',
      deadLetter: true,
      publishes: [to('strict.avro', { codec: avro({ schema: ORDER, registry, autoRegister: false }) })],
      handle: (order: unknown) => order,
    });
    const messages = [{ topic: 'orders', partition: 0, value: { id: 'o-3', qty: 1 } }];
    const refused = await run({ routes: [route] }, messages);
    expect(refused.totals).toMatchObject({ handled: 0, deadLettered: 0, failed: 1 });
    expect(refused.failures[0]?.error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', at: { topic: 'orders', offset: 0 } });
    expect(String(refused.failures[0]?.error)).toMatch(/strict\.avro-value.*auto-registration is off/);
    expect(refused.messages).toEqual([]);

    local.store.register('strict.avro-value', 'AVRO', JSON.stringify(ORDER), []);
    const accepted = await run({ routes: [route] }, messages);
    expect(accepted.totals).toMatchObject({ handled: 1, failed: 0 });
  });
});

describe('autoRegisterDefault()', () => {
  it('is on locally and under serverless invoke local, off on Lambda, and SCHEMA_REGISTRY_AUTO_REGISTER decides when set', () => {
    expect(autoRegisterDefault({})).toBe(true);
    expect(autoRegisterDefault({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(false);
    expect(autoRegisterDefault({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', IS_LOCAL: 'true' })).toBe(true);
    expect(autoRegisterDefault({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', SCHEMA_REGISTRY_AUTO_REGISTER: 'true' })).toBe(true);
    expect(autoRegisterDefault({ SCHEMA_REGISTRY_AUTO_REGISTER: 'false' })).toBe(false);
  });
});
