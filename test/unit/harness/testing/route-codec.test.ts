import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from '../../../../src/harness/local/registry/server.js';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { readyEncoder } from '../../../../src/harness/testing/route-codec.js';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { jsonSchema } from '../../../../src/runtime/codec/json-schema.js';
import { protobuf } from '../../../../src/runtime/codec/protobuf.js';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { confluentRegistry } from '../../../../src/runtime/registry/confluent.js';

const SCHEMA = {
  type: 'record',
  name: 'Payment',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'cents', type: 'long' },
  ],
};
const PROTO = 'syntax = "proto3"; package t; message Click { string url = 1; int32 count = 2; }';
const target = { topic: 'payments', part: 'value' } as const;

/** A record of `topic` carrying `value`, parsed by the runtime's own parser (what a codec decodes against). */
const recordOf = (value: Buffer) => {
  const lane = parseKafkaEvent(buildKafkaEvent([{ topic: 'payments', value }])).lanes[0];
  return lane?.records[0] as NonNullable<typeof lane>['records'][number];
};

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(() => registry.close());

describe('readyEncoder', () => {
  it("readies an Avro codec nobody called ready() on, as the router does, and encodes with the route's framing", async () => {
    const codec = avro({ schema: SCHEMA });
    // The failure the issue reports: a fresh codec cannot encode.
    expect(() => codec.encode({ id: 'a', cents: 1 })).toThrow(ConfigError);
    const encoder = await readyEncoder(codec, target, 'route');
    const bytes = encoder.encode({ id: 'a', cents: 12 }) as Buffer;
    expect(encoder).toMatchObject({ codec: 'avro', format: 'AVRO' });
    expect(await codec.decode(bytes, recordOf(bytes), 'value')).toEqual({ id: 'a', cents: 12 });
  });

  it('writes bare payloads for a codec with a registry without contacting it', async () => {
    const unreachable = confluentRegistry({ url: 'http://127.0.0.1:9' });
    const encoder = await readyEncoder(avro({ schema: SCHEMA, registry: unreachable }), target, 'bare');
    const bytes = encoder.encode({ id: 'b', cents: 3 }) as Buffer;
    expect(bytes[0]).not.toBe(0); // no Confluent magic byte: the string's length comes first
    const reader = avro({ schema: SCHEMA });
    expect(await reader.decode(bytes, recordOf(bytes), 'value')).toEqual({ id: 'b', cents: 3 });
  });

  it('frames Avro, Protobuf and JSON Schema through a registry, registering the schema under <topic>-value', async () => {
    const client = confluentRegistry({ url: registry.url });
    const cases = [
      { topic: 'pay.avro', codec: avro({ schema: SCHEMA }), value: { id: 'c', cents: 5 } },
      { topic: 'click.proto', codec: protobuf({ schema: PROTO, messageType: 't.Click' }), value: { url: 'u', count: 2 } },
      {
        topic: 'click.json',
        codec: jsonSchema({ schema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] } }),
        value: { url: 'u' },
      },
    ];
    for (const { topic, codec, value } of cases) {
      const encoder = await readyEncoder(codec, { topic, part: 'value' }, { registry: client });
      const bytes = encoder.encode(value) as Buffer;
      expect(bytes[0]).toBe(0);
      const id = bytes.readUInt32BE(1);
      const latest = (await (await fetch(`${registry.url}/subjects/${topic}-value/versions/latest`)).json()) as { id: number };
      expect(latest.id).toBe(id);
      // A reader that knows only the registry decodes it.
      const reader =
        codec.declaration.format === 'AVRO'
          ? avro({ registry: client })
          : codec.declaration.format === 'PROTOBUF'
            ? protobuf({ registry: client })
            : jsonSchema({ registry: client });
      expect(await reader.decode(bytes, recordOf(bytes), 'value')).toMatchObject(value);
    }
  });

  it('says why a codec with a registry and no schema of its own cannot encode', async () => {
    await expect(readyEncoder(avro({ registry: confluentRegistry({ url: registry.url }) }), target, 'bare')).rejects.toThrow(
      /has a registry but no schema of its own/,
    );
  });

  it('encodes with the publishers’ default, JSON, when there is no codec, and keeps null a tombstone', async () => {
    const encoder = await readyEncoder(undefined, target, 'route');
    expect(encoder.encode({ a: 1 })?.toString()).toBe('{"a":1}');
    expect(encoder.encode(null)).toBeNull();
  });
});
