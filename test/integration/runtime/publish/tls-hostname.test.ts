import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertJava } from '../../../../src/harness/local/broker/prerequisites.js';
import { createLoopbackCertificate } from '../../../../src/harness/local/broker/tls.js';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { ConnectionError, PublishError } from '../../../../src/runtime/errors/index.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import type { KafkaAuth } from '../../../../src/runtime/publish/auth.js';
import { createKafkaPublisher } from '../../../../src/runtime/publish/kafka.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import type { OutboundMessage } from '../../../../src/runtime/router/outbox.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { consume, createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { lambdaContext } from '../../../support/lambda.js';

const saslSsl = testKafka().saslSsl;
const PASSWORD = 'never-sent-to-the-wrong-host-42';

const message = (topic: string): OutboundMessage => ({
  topic,
  key: null,
  value: Buffer.from('{"via":"tls"}'),
  headers: [],
  source: { topic: 'in', partition: 0, offset: 0 },
  sequence: 0,
  kind: 'output',
});

/** Publishes one message through a fresh publisher, always closing it; resolves to the error, if any. */
async function publishOnce(brokers: string[], auth: KafkaAuth, topic = 'tls-probe'): Promise<unknown> {
  const publisher = createKafkaPublisher({
    brokers,
    auth,
    connectionTimeoutMs: 3_000,
    requestTimeoutMs: 3_000,
    retries: 1,
    logger: silentLogger,
  });
  try {
    await publisher.publish([message(topic)], { bootstrapServers: [], eventSourceArn: undefined });
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await publisher.close();
  }
}

/**
 * A TLS endpoint presenting a certificate made like the broker's (keytool), for
 * the given names. It is not Kafka: a client that verifies the certificate must
 * refuse it before sending anything, so it counts the application bytes it got.
 */
async function tlsEndpoint(
  subjectAltNames: string[],
): Promise<{ port: number; caPem: string; received: () => number; close: () => Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'klr-tls-'));
  const certificate = createLoopbackCertificate(directory, assertJava(), subjectAltNames);
  let received = 0;
  const server: Server = createServer(
    { pfx: readFileSync(certificate.keystorePath), passphrase: certificate.keystorePassword },
    (socket) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      socket.on('error', () => undefined);
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    caPem: certificate.caPem,
    received: () => received,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

describe('TLS: the broker certificate is verified against the host dialled', () => {
  const port = saslSsl?.brokers[0]?.split(':')[1];
  const admin = testKafkaClient().admin();
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it.skipIf(!saslSsl).each(['localhost', '127.0.0.1'])(
    'publishes with SCRAM over TLS dialling the local broker as %s (its certificate names both)',
    async (host) => {
      const out = uniqueTopic('tls-host-out');
      await createTopics(admin, [{ topic: out }]);
      const auth: KafkaAuth = {
        mechanism: 'scram-sha-512',
        username: saslSsl?.user.name ?? '',
        password: saslSsl?.user.password ?? '',
        ca: [saslSsl?.caPem ?? ''],
      };
      expect(await publishOnce([`${host}:${port}`], auth, out)).toBeUndefined();
      const received = await consume(testKafkaClient(), [out], (all) => all.length >= 1);
      expect(received.map((m) => m.value?.toString())).toEqual(['{"via":"tls"}']);
    },
  );

  it.each<[string, (ca: string) => KafkaAuth]>([
    ['scram-sha-512', (ca) => ({ mechanism: 'scram-sha-512', username: 'router', password: PASSWORD, ca: [ca] })],
    ['tls', (ca) => ({ mechanism: 'tls', ca: [ca] })],
  ])('%s: refuses a certificate issued for another name, before sending anything', async (_, auth) => {
    const endpoint = await tlsEndpoint(['dns:broker.invalid']);
    try {
      const error = await publishOnce([`localhost:${endpoint.port}`], auth(endpoint.caPem));
      expect(error).toBeInstanceOf(ConnectionError);
      const connection = error as ConnectionError;
      expect(connection.code).toBe('CONNECTION_FAILED');
      expect(connection.broker).toBe(`localhost:${endpoint.port}`);
      expect(connection.message).toMatch(
        new RegExp(`^Cannot connect to Kafka broker localhost:${endpoint.port}: certificate does not match host`),
      );
      expect(`${connection.message}\n${connection.stack}\n${String(connection.cause)}`).not.toContain(PASSWORD);
      expect(endpoint.received()).toBe(0);
    } finally {
      await endpoint.close();
    }
  });

  it('refuses a certificate for localhost when the broker is dialled as 127.0.0.1 (no name is assumed)', async () => {
    const endpoint = await tlsEndpoint(['dns:localhost']);
    try {
      const error = await publishOnce([`127.0.0.1:${endpoint.port}`], {
        mechanism: 'scram-sha-512',
        username: 'router',
        password: PASSWORD,
        ca: [endpoint.caPem],
      });
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toMatch(
        new RegExp(`^Cannot connect to Kafka broker 127\\.0\\.0\\.1:${endpoint.port}: certificate does not match host`),
      );
      expect(endpoint.received()).toBe(0);
    } finally {
      await endpoint.close();
    }
  });

  it('fails the invocation with a PublishError caused by the ConnectionError', async () => {
    const endpoint = await tlsEndpoint(['dns:broker.invalid']);
    const publisher = createKafkaPublisher({
      brokers: [`localhost:${endpoint.port}`],
      auth: { mechanism: 'tls', ca: [endpoint.caPem] },
      retries: 1,
      logger: silentLogger,
    });
    const route = defineRoute({ topic: 'in', publishes: [to('out')], handle: (value: unknown) => value });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    try {
      const error = await handler(buildKafkaEvent([{ topic: 'in', value: 1 }]), lambdaContext()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PublishError);
      expect((error as PublishError).cause).toBeInstanceOf(ConnectionError);
      expect((error as PublishError).message).toContain('certificate does not match host');
    } finally {
      await publisher.close();
      await endpoint.close();
    }
  });

  it.skipIf(!saslSsl)('fails fast and says so when a plaintext client dials the TLS listener', async () => {
    const started = performance.now();
    const error = await publishOnce([`127.0.0.1:${port}`], { mechanism: 'plaintext' });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toMatch(/closed the connection .*TLS listener/);
  });

  it('fails fast and says so when a TLS client dials a plaintext listener', async () => {
    const started = performance.now();
    const error = await publishOnce([...testKafka().brokers], { mechanism: 'tls', ca: [saslSsl?.caPem ?? ''] });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toMatch(/TLS handshake failed.*plaintext listener/);
  });
});
