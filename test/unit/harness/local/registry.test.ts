import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from '../../../../src/harness/local/registry/server.js';

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(() => registry.close());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; type: string | null }> {
  const response = await fetch(`${registry.url}${path}`, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // raw schema text
  }
  return { status: response.status, body: parsed, type: response.headers.get('content-type') };
}

const A = '{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}';
const A_SPACED = '{ "type": "record", "name": "A", "fields": [ { "name": "x", "type": "int" } ] }';
const B = '{"type":"record","name":"B","fields":[]}';

// The REST subset Confluent documents (docs.confluent.io, Schema Registry API reference): status codes and error_code values.
describe('local Confluent-compatible registry', () => {
  it('gives one id per distinct schema, across subjects and whitespace, and versions per subject from 1', async () => {
    const first = await call('POST', '/subjects/a-value/versions', { schema: A });
    expect(first).toMatchObject({ status: 200, body: { id: 1 }, type: 'application/vnd.schemaregistry.v1+json' });
    expect((await call('POST', '/subjects/a-value/versions', { schema: A_SPACED })).body).toEqual({ id: 1 });
    expect((await call('POST', '/subjects/other-value/versions', { schema: A })).body).toEqual({ id: 1 });
    expect((await call('POST', '/subjects/a-value/versions', { schema: B })).body).toEqual({ id: 2 });
    expect((await call('GET', '/subjects/a-value/versions')).body).toEqual([1, 2]);
    expect((await call('GET', '/subjects/a-value/versions/latest')).body).toEqual({ subject: 'a-value', version: 2, id: 2, schema: B });
    expect((await call('GET', '/subjects/a-value/versions/1/schema')).body).toEqual(JSON.parse(A));
    expect((await call('GET', '/schemas/ids/1')).body).toEqual({ schema: A });
    expect((await call('GET', '/schemas/ids/1/versions')).body).toEqual([
      { subject: 'a-value', version: 1 },
      { subject: 'other-value', version: 1 },
    ]);
    expect((await call('POST', '/subjects/a-value', { schema: A })).body).toEqual({ subject: 'a-value', version: 1, id: 1, schema: A });
    expect((await call('GET', '/subjects')).body).toEqual(['a-value', 'other-value']);
  });

  it("answers Confluent's error codes: 40401 subject, 40402 version, 40403 schema, 42201 invalid schema", async () => {
    expect(await call('GET', '/subjects/nope/versions')).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call('GET', '/subjects/a-value/versions/9')).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect(await call('GET', '/schemas/ids/77')).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await call('POST', '/subjects/a-value', { schema: '{"type":"string"}' })).toMatchObject({
      status: 404,
      body: { error_code: 40403 },
    });
    expect(await call('POST', '/subjects/a-value/versions', { schema: '{not json' })).toMatchObject({
      status: 422,
      body: { error_code: 42201 },
    });
  });

  it('keeps schemaType and references, omitting schemaType for Avro as Confluent does', async () => {
    await call('POST', '/subjects/common.proto/versions', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message M {}' });
    const ref = { name: 'common.proto', subject: 'common.proto', version: 1 };
    const { body } = await call('POST', '/subjects/p-value/versions', {
      schemaType: 'PROTOBUF',
      schema: 'syntax = "proto3"; import "common.proto";',
      references: [ref],
    });
    const id = (body as { id: number }).id;
    expect((await call('GET', `/schemas/ids/${id}`)).body).toEqual({
      schemaType: 'PROTOBUF',
      schema: 'syntax = "proto3"; import "common.proto";',
      references: [ref],
    });
    expect(
      await call('POST', '/subjects/q-value/versions', { schemaType: 'PROTOBUF', schema: 'x', references: [{ ...ref, version: 5 }] }),
    ).toMatchObject({
      status: 422,
    });
  });

  it('requires basic auth when given users', async () => {
    const secured = await startLocalRegistry({ users: { u: 'p' } });
    try {
      expect((await fetch(`${secured.url}/subjects`)).status).toBe(401);
      const ok = await fetch(`${secured.url}/subjects`, { headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` } });
      expect(ok.status).toBe(200);
    } finally {
      await secured.close();
    }
  });
});
