import { Parser } from '@asyncapi/parser';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as zodClassic from 'zod';
import * as z from 'zod/mini';
import { OrderPlaced, OrderValidated, StockReserved } from '../../../../functions/schemas.js';
import { buildAsyncApi } from '../../../../src/harness/docs/build.js';
import { exampleOf } from '../../../../src/harness/docs/examples.js';
import { convertSchema, embedSchema } from '../../../../src/harness/docs/json-schema.js';
import { serializeDocument } from '../../../../src/harness/docs/write.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { mskEvent, serviceOf } from '../../../support/docs.js';

type Json = Record<string, unknown>;

interface TreeNode {
  name: string;
  children: TreeNode[];
}
const Tree: z.ZodMiniType<TreeNode> = z.object({
  name: z.string(),
  get children() {
    return z.array(Tree);
  },
});

describe('schema conversion', () => {
  it('uses the Standard JSON Schema interface when the schema has it (zod classic), the input side', async () => {
    const schema = zodClassic.object({ at: zodClassic.string().transform((s) => new Date(s)), n: zodClassic.number().default(1) });
    const conversion = await convertSchema(schema);
    expect(conversion).toMatchObject({ ok: true, via: 'Standard JSON Schema' });
    // Input side: the wire carries a string and may omit the defaulted field.
    expect(conversion.ok && conversion.schema).toMatchObject({ properties: { at: { type: 'string' } }, required: ['at'] });
  });

  it('falls back to the library converter for zod/mini and valibot, which do not expose it', async () => {
    expect(await convertSchema(z.object({ a: z.string() }))).toMatchObject({ ok: true, via: 'zod' });
    expect(await convertSchema(v.object({ a: v.string() }))).toMatchObject({ ok: true, via: '@valibot/to-json-schema' });
  });

  it('says why a converter fails instead of returning an empty schema', async () => {
    const throwing = {
      '~standard': {
        version: 1,
        vendor: 'acme',
        validate: () => ({ issues: [] }),
        jsonSchema: {
          input: () => {
            throw new Error('no');
          },
        },
      },
    };
    expect(await convertSchema(throwing as never)).toEqual({
      ok: false,
      reason: "acme's Standard JSON Schema converter cannot convert it: no",
    });
  });

  it('moves recursive schemas and definitions to components with rewritten references', async () => {
    const conversion = await convertSchema(Tree);
    if (!conversion.ok) throw new Error(conversion.reason);
    expect(embedSchema(conversion.schema, 'fn.Tree')).toEqual({
      payload: { $ref: '#/components/schemas/fn.Tree' },
      components: {
        'fn.Tree': {
          type: 'object',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/fn.Tree' } } },
          required: ['name', 'children'],
        },
      },
    });
    expect(
      embedSchema({ $schema: 'x', definitions: { Id: { type: 'string' } }, properties: { id: { $ref: '#/definitions/Id' } } }, 'p'),
    ).toEqual({ payload: { properties: { id: { $ref: '#/components/schemas/p.Id' } } }, components: { 'p.Id': { type: 'string' } } });
  });

  it('gives a document the AsyncAPI parser accepts for a recursive schema', async () => {
    const { model } = await serviceOf([
      {
        name: 'trees',
        routes: [defineRoute({ name: 'tree', topic: 'trees', schema: Tree, handle: () => undefined })],
        events: [mskEvent('trees')],
      },
    ]);
    const { document } = await buildAsyncApi(model);
    const parsed = await new Parser().parse(serializeDocument(document, 'yaml'));
    expect(parsed.diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(
      parsed.document
        ?.components()
        .schemas()
        .all()
        .map((s) => s.id()),
    ).toContain('trees.Tree');
  });
});

describe('example payloads', () => {
  it.each([
    ['OrderPlaced', OrderPlaced],
    ['OrderValidated', OrderValidated],
    ['StockReserved', StockReserved],
    [
      'constraints',
      z.object({
        code: z.string().check(z.length(3)),
        n: z.number().check(z.int(), z.positive()),
        at: z.iso.datetime(),
        mail: z.email(),
        kind: z.enum(['a', 'b']),
        tags: z.array(z.string()).check(z.minLength(2)),
        maybe: z.nullable(z.number()),
      }),
    ],
  ])('the example built for %s passes the schema it was built from', async (_name, schema) => {
    const conversion = await convertSchema(schema);
    if (!conversion.ok) throw new Error(conversion.reason);
    const example = exampleOf(conversion.schema);
    const result = await schema['~standard'].validate(example);
    expect(result.issues).toBeUndefined();
  });

  it('prefers the schema’s own examples', async () => {
    const conversion = await convertSchema(zodClassic.object({ sku: zodClassic.string().meta({ examples: ['SKU-MUG'] }) }));
    if (!conversion.ok) throw new Error(conversion.reason);
    expect(exampleOf(conversion.schema)).toEqual({ sku: 'SKU-MUG' });
  });

  it('resolves references and stops on recursion', () => {
    const components: Record<string, Json> = { Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } };
    const example = exampleOf({ $ref: '#/components/schemas/Node' }, components);
    expect(JSON.stringify(example)).toMatch(/^\{"next":\{"next":/);
  });
});
