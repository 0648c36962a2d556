import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGlueFrame } from '../../../../src/runtime/codec/framing/glue.js';
import { protobuf } from '../../../../src/runtime/codec/protobuf.js';
import { RegistryUnavailableError, SchemaNotFoundError } from '../../../../src/runtime/errors/index.js';
import type { KafkaRecord } from '../../../../src/runtime/event/record.js';
import { glueRegistry } from '../../../../src/runtime/registry/glue.js';
import { startAwsStandIn, useTestCredentials } from '../../../support/aws-stand-in.js';

const UUID = '12345678-1234-1234-1234-123456789012';
const PROTO = 'syntax = "proto3"; package shop; message Order { string id = 1; int32 qty = 2; }';
const record = (schemaId?: string) =>
  ({
    topic: 'orders',
    partition: 0,
    offset: 9,
    valueSchemaMetadata: schemaId ? { dataFormat: 'PROTOBUF', schemaId } : undefined,
    keySchemaMetadata: undefined,
  }) as unknown as KafkaRecord;

let restoreCredentials: () => void;
beforeAll(() => {
  restoreCredentials = useTestCredentials();
});
afterAll(() => restoreCredentials());

describe('glueRegistry() (real @aws-sdk/client-glue, local endpoint)', () => {
  it('sends GetSchemaVersion once per schema version id, shared by concurrent decodes', async () => {
    const standIn = await startAwsStandIn({ glueSchemaVersions: { [UUID]: { SchemaDefinition: PROTO, DataFormat: 'PROTOBUF' } } });
    try {
      const registry = glueRegistry({ endpoint: standIn.endpoint, region: 'us-east-1' });
      const writer = protobuf({ schema: PROTO, framing: 'glue', schemaId: UUID });
      await writer.ready();
      const framed = writer.encode({ id: 'o-1', qty: 2 });
      const codec = protobuf({ registry });
      const values = await Promise.all(Array.from({ length: 10 }, () => codec.decode(framed, record(), 'value')));
      expect(values[9]).toEqual({ id: 'o-1', qty: 2 });
      // Lambda removed the header and named the version in valueSchemaMetadata: same schema, no second request.
      expect(await codec.decode(framed.subarray(18), record(UUID), 'value')).toEqual({ id: 'o-1', qty: 2 });
      const calls = standIn.requests.filter((r) => r.headers['x-amz-target'] === 'AWSGlue.GetSchemaVersion');
      expect(calls).toHaveLength(1);
      expect(JSON.parse(calls[0]?.body ?? '{}')).toEqual({ SchemaVersionId: UUID });
      expect(calls[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTEXAMPLE\/\d+\/us-east-1\/glue\/aws4_request/);
      expect(registry.fetches).toBe(1);
    } finally {
      await standIn.close();
    }
  });

  it('EntityNotFoundException is SchemaNotFoundError; an unreachable endpoint is RegistryUnavailableError', async () => {
    const standIn = await startAwsStandIn({ glueSchemaVersions: {} });
    try {
      const missing = await glueRegistry({ endpoint: standIn.endpoint, region: 'us-east-1' })
        .schemaById(UUID)
        .catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(SchemaNotFoundError);
    } finally {
      await standIn.close();
    }
    const down = await glueRegistry({ endpoint: standIn.endpoint, region: 'us-east-1', maxAttempts: 1 })
      .schemaById(UUID)
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(RegistryUnavailableError);
    const framed = writeGlueFrame(UUID, Buffer.from([0]));
    const viaCodec = await Promise.resolve(
      protobuf({ registry: glueRegistry({ endpoint: standIn.endpoint, region: 'us-east-1', maxAttempts: 1 }) }).decode(
        framed,
        record(),
        'value',
      ),
    ).catch((e: unknown) => e);
    expect(viaCodec).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', at: { topic: 'orders', partition: 0, offset: 9 } });
  });
});
