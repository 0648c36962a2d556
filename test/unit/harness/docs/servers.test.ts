import { describe, expect, it } from 'vitest';
import { buildAsyncApi } from '../../../../src/harness/docs/build.js';
import { serializeDocument } from '../../../../src/harness/docs/write.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { mskEvent, serviceOf, type TestFunction } from '../../../support/docs.js';

type Json = Record<string, unknown>;

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-credentials-AbCdEf';
const route = defineRoute({ name: 'relay', topic: 'in', publishes: [to('out')], handle: (value) => value });
const kafkaEvent = (accessConfigurations: Record<string, unknown>) => ({
  kafka: { topic: 'in', bootstrapServers: ['broker-1.internal:9096', 'broker-2.internal:9096'], accessConfigurations, batchSize: 10 },
});
const relay = (events: TestFunction['events'], environment?: Record<string, string>): TestFunction[] => [
  { name: 'relay', routes: [route], events, ...(environment ? { environment } : {}) },
];
const documentOf = async (functions: TestFunction[], providerEnvironment?: Record<string, string>) => {
  const { model, diagnostics } = await serviceOf(functions, providerEnvironment ? { providerEnvironment } : {});
  const built = await buildAsyncApi(model);
  return { document: built.document as Json, diagnostics: [...diagnostics, ...built.diagnostics] };
};

describe('servers and security', () => {
  it('describes an MSK cluster by its ARN, with IAM for the pollers and the publisher', async () => {
    const { document } = await documentOf(relay([mskEvent('in')]));
    expect(document.servers).toEqual({
      orders: expect.objectContaining({
        host: '{bootstrapBrokers}',
        protocol: 'kafka-secure',
        security: [{ $ref: '#/components/securitySchemes/mskIam' }],
      }),
    });
    expect(((document.servers as Json).orders as Json).description).toContain('arn:aws:kafka:eu-west-1:123456789012:cluster/orders/abc-1');
    expect(((document.components as Json).securitySchemes as Json).mskIam).toMatchObject({
      type: 'oauth2',
      'x-sasl-mechanism': 'OAUTHBEARER',
    });
  });

  it('uses SASL/SCRAM for MSK pollers when the event names a SCRAM secret', async () => {
    const { document } = await documentOf(relay([mskEvent('in', { saslScram512: SECRET_ARN })]));
    expect((document.operations as Record<string, Json>)['relay.relay.receive']?.security).toEqual([
      { $ref: '#/components/securitySchemes/scramSha512' },
    ]);
    expect(serializeDocument(document, 'yaml')).not.toContain('AbCdEf');
  });

  it('describes self-managed Kafka with SASL/SCRAM, without the secret ARNs', async () => {
    const { document } = await documentOf(relay([kafkaEvent({ saslScram512Auth: SECRET_ARN })]), {
      KAFKA_AUTH: 'scram-sha-512',
      KAFKA_SASL_SECRET_ARN: SECRET_ARN,
    });
    expect(document.servers).toEqual({
      'broker-1.internal': expect.objectContaining({
        host: 'broker-1.internal:9096',
        protocol: 'kafka-secure',
        security: [{ $ref: '#/components/securitySchemes/scramSha512' }],
      }),
    });
    expect(((document.components as Json).securitySchemes as Json).scramSha512).toMatchObject({ type: 'scramSha512' });
    const yaml = serializeDocument(document, 'yaml');
    expect(yaml).not.toContain('secretsmanager');
    expect(yaml).not.toContain('AbCdEf');
  });

  it('gives pollers and publisher their own security when they differ (mutual TLS pollers, plaintext publisher)', async () => {
    const { document } = await documentOf(relay([kafkaEvent({ clientCertificateTlsAuth: SECRET_ARN })]), { KAFKA_AUTH: 'plaintext' });
    const operations = document.operations as Record<string, Json>;
    expect(operations['relay.relay.receive']?.security).toEqual([{ $ref: '#/components/securitySchemes/mutualTls' }]);
    expect(operations['relay.relay.send.out']?.security).toBeUndefined();
  });

  it.each([
    ['saslScram256Auth', 'scramSha256', 'scramSha256'],
    ['saslPlainAuth', 'saslPlain', 'plain'],
    ['clientCertificateTlsAuth', 'mutualTls', 'X509'],
  ])('maps the self-managed access setting %s to the %s scheme', async (setting, id, type) => {
    const { document } = await documentOf(relay([kafkaEvent({ [setting]: SECRET_ARN })]), { KAFKA_AUTH: 'plaintext' });
    expect((document.operations as Record<string, Json>)['relay.relay.receive']?.security).toEqual([
      { $ref: `#/components/securitySchemes/${id}` },
    ]);
    expect(((document.components as Json).securitySchemes as Json)[id]).toMatchObject({ type });
  });

  it('uses the plain kafka protocol and no security for an unauthenticated cluster', async () => {
    const { document } = await documentOf(relay([kafkaEvent({})]), { KAFKA_AUTH: 'plaintext' });
    const server = (document.servers as Record<string, Json>)['broker-1.internal'];
    expect(server?.protocol).toBe('kafka');
    expect(server?.security).toBeUndefined();
    expect((document.components as Json).securitySchemes).toBeUndefined();
  });

  it('takes KAFKA_AUTH from the function over the provider, and rejects an unknown value', async () => {
    const own = await documentOf(relay([mskEvent('in')], { KAFKA_AUTH: 'scram-sha-512' }));
    expect((own.document.operations as Record<string, Json>)['relay.relay.send.out']?.security).toEqual([
      { $ref: '#/components/securitySchemes/scramSha512' },
    ]);
    const wrong = await documentOf(relay([mskEvent('in')], { KAFKA_AUTH: 'kerberos' }));
    expect(wrong.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', function: 'relay', message: expect.stringContaining("KAFKA_AUTH 'kerberos'") }),
    ]);
  });

  it('lists a channel’s servers when functions use several clusters', async () => {
    const { document } = await documentOf([
      { name: 'a', routes: [route], events: [mskEvent('in')] },
      { name: 'b', routes: [defineRoute({ name: 'other', topic: 'elsewhere', handle: () => undefined })], events: [kafkaEvent({})] },
    ]);
    expect(Object.keys(document.servers as Json)).toEqual(['broker-1.internal', 'orders']);
    expect(((document.channels as Record<string, Json>).out as Json).servers).toEqual([{ $ref: '#/servers/orders' }]);
  });
});
