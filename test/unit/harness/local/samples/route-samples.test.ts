import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import * as zm from 'zod/mini';
import { readSamplesFile, samplesForTopic } from '../../../../../src/harness/local/samples/route-samples.js';
import { avro } from '../../../../../src/runtime/codec/avro.js';
import { ConfigError } from '../../../../../src/runtime/errors/index.js';
import { text } from '../../../../../src/runtime/event/codec.js';
import { defineRoute } from '../../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../../src/runtime/router/router.js';

const routerFor = (route: Parameters<typeof createRouter>[0]['routes'][number]) => createRouter({ routes: [route], unmatched: 'fail' });
const decoded = (values: ReadonlyArray<string | Buffer>) => values.map((value) => JSON.parse(value.toString()));
const options = { count: 3 };

describe('samplesForTopic', () => {
  it('builds a schema-valid value from a zod schema (the docs’ example of its JSON Schema)', async () => {
    const Click = z.object({ sessionId: z.string().min(1), url: z.url(), at: z.iso.datetime(), count: z.int().positive() });
    const router = routerFor(defineRoute({ topic: 'clicks', schema: Click, handle: () => undefined }));
    const samples = await samplesForTopic(router, 'clicks', options);
    expect(samples).toMatchObject({ topic: 'clicks', origin: 'schema', problem: undefined });
    const values = decoded(samples.values);
    expect(values).toHaveLength(3);
    for (const value of values) expect(Click.safeParse(value).success).toBe(true);
  });

  it('builds Avro values from the codec’s own schema when the route has no Standard Schema (encoded by the codec, decoded back)', async () => {
    const schema = {
      type: 'record',
      name: 'Payment',
      namespace: 'shop',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'cents', type: 'long' },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['PAID', 'REFUNDED'] } },
        { name: 'note', type: ['null', 'string'] },
        { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }] } } },
        { name: 'first', type: ['null', 'Line'] },
        { name: 'tags', type: { type: 'map', values: 'int' } },
        { name: 'digest', type: { type: 'fixed', name: 'Digest', size: 4 } },
      ],
    };
    const codec = avro<Record<string, unknown>>({ schema });
    const router = routerFor(defineRoute({ topic: 'payments', codec, handle: () => undefined }));
    const samples = await samplesForTopic(router, 'payments', { count: 2 });
    expect(samples).toMatchObject({ origin: 'schema', format: 'AVRO', problem: undefined });
    expect(samples.plain[0]).toMatchObject({
      id: 'string',
      cents: 1,
      status: 'PAID',
      note: 'string',
      lines: [{ sku: 'string' }],
      first: { sku: 'string' },
    });
    await codec.ready?.();
    const back = await codec.decode(samples.values[0] as Buffer, { topic: 'payments', partition: 0, offset: '0' } as never, 'value');
    expect(back).toMatchObject({ id: 'string', status: 'PAID', tags: { key: 1 } });
  });

  it('builds them from zod/mini too, which lacks the Standard JSON Schema interface', async () => {
    const Order = zm.object({
      orderId: zm.string().check(zm.minLength(1)),
      currency: zm.string().check(zm.length(3)),
      lines: zm.array(zm.object({ sku: zm.string(), quantity: zm.number().check(zm.int(), zm.positive()) })),
    });
    const router = routerFor(defineRoute({ topic: 'orders', schema: Order, handle: () => undefined }));
    const samples = await samplesForTopic(router, 'orders', options);
    expect(samples.origin).toBe('schema');
    expect(samples.problem).toBeUndefined();
    for (const value of decoded(samples.values)) expect(zm.safeParse(Order, value).success).toBe(true);
  });

  it('falls back to a placeholder, and says why, for a schema that cannot describe itself', async () => {
    const opaque = {
      '~standard': { version: 1, vendor: 'hand-made', validate: (value: unknown) => ({ value }) },
    } as const;
    const router = routerFor(defineRoute({ topic: 't', schema: opaque, handle: () => undefined }));
    const samples = await samplesForTopic(router, 't', options);
    expect(samples.origin).toBe('placeholder');
    expect(decoded(samples.values)).toEqual([{ example: 1 }, { example: 2 }, { example: 3 }]);
    expect(samples.problem).toMatch(/^no JSON Schema converter for 'hand-made' schemas: .+; pass --samples$/);
  });

  it('uses the samples file when it names the topic, cycling its values, and reports values the schema rejects', async () => {
    const router = routerFor(defineRoute({ topic: 't', schema: z.object({ id: z.string() }), handle: () => undefined }));
    const samples = await samplesForTopic(router, 't', { ...options, count: 3, samples: { t: [{ id: 'a' }, { id: 2 }] } });
    expect(samples.origin).toBe('samples');
    expect(decoded(samples.values)).toEqual([{ id: 'a' }, { id: 2 }, { id: 'a' }]);
    expect(samples.problem).toMatch(/^does not pass the route's schema at id: .+; pass --samples with values that do$/);
  });

  it('encodes with the route’s codec', async () => {
    const router = routerFor(defineRoute({ topic: 'lines', codec: text, handle: () => undefined }));
    const samples = await samplesForTopic(router, 'lines', { ...options, samples: { lines: ['plain text'] } });
    expect(samples.values.map(String)).toEqual(['plain text', 'plain text', 'plain text']);
  });
});

describe('readSamplesFile', () => {
  const file = (content: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'samples-')), 'samples.json');
    writeFileSync(path, content);
    return path;
  };

  it('reads an object of arrays', () => {
    expect(readSamplesFile(file('{"t":[1,2]}'))).toEqual({ t: [1, 2] });
  });

  it.each(['[1]', '{"t":1}', 'not json'])('refuses %s with a ConfigError', (content) => {
    expect(() => readSamplesFile(file(content))).toThrow(ConfigError);
  });
});
