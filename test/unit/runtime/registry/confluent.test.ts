import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from '../../../../src/harness/local/registry/server.js';
import { avro } from '../../../../src/runtime/codec/avro.js';
import { writeConfluentFrame } from '../../../../src/runtime/codec/framing/confluent.js';
import { ConfigError, RegistryUnavailableError, SchemaNotFoundError } from '../../../../src/runtime/errors/index.js';
import type { KafkaRecord } from '../../../../src/runtime/event/record.js';
import { confluentRegistry } from '../../../../src/runtime/registry/confluent.js';
import { confluentRegistryFromEnv } from '../../../../src/runtime/registry/from-env.js';
import { startAwsStandIn, useTestCredentials } from '../../../support/aws-stand-in.js';

const ORDER = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }] });
const record = {
  topic: 'orders',
  partition: 0,
  offset: 3,
  valueSchemaMetadata: undefined,
  keySchemaMetadata: undefined,
} as unknown as KafkaRecord;

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: Error) => error,
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(() => registry.close());

describe('confluentRegistry() against the local registry', () => {
  it('registers, looks up and fetches schemas (the id is the one the registry gave)', async () => {
    const client = confluentRegistry({ url: registry.url });
    const id = await client.idFor?.('orders-value', { format: 'AVRO', definition: ORDER }, { autoRegister: true });
    expect(id).toMatch(/^\d+$/);
    expect(await client.idFor?.('orders-value', { format: 'AVRO', definition: ORDER }, { autoRegister: false })).toBe(id);
    expect(await client.schemaById(id as string)).toEqual({ format: 'AVRO', definition: ORDER, references: [] });
    const unregistered = await failure(
      client.idFor?.('payments-value', { format: 'AVRO', definition: ORDER }, { autoRegister: false }) ?? Promise.resolve(),
    );
    expect(unregistered).toBeInstanceOf(SchemaNotFoundError);
  });

  it('fetches each id once per container: concurrent decodes share one request (counted at the server)', async () => {
    const client = confluentRegistry({ url: registry.url });
    const id = Number(await client.idFor?.('count-value', { format: 'AVRO', definition: ORDER }, { autoRegister: true }));
    const codec = avro({ registry: client });
    const writer = avro({ schema: ORDER });
    await writer.ready();
    const framed = writeConfluentFrame(id, writer.encode({ id: 'o-1' }));
    const before = registry.requests.filter((r) => r.url === `/schemas/ids/${id}`).length;
    const values = await Promise.all(Array.from({ length: 25 }, () => codec.decode(framed, record, 'value')));
    expect(values).toEqual(Array.from({ length: 25 }, () => ({ id: 'o-1' })));
    for (let i = 0; i < 5; i++) await codec.decode(framed, record, 'value');
    expect(registry.requests.filter((r) => r.url === `/schemas/ids/${id}`).length - before).toBe(1);
    expect(client.fetches).toBe(1);
  });

  it('follows schema references through subjects/versions', async () => {
    const common = 'syntax = "proto3"; package common; message Money { int64 cents = 1; }';
    const main = 'syntax = "proto3"; package shop; import "common.proto"; message Invoice { common.Money total = 1; }';
    const client = confluentRegistry({ url: registry.url });
    await client.idFor?.('common.proto', { format: 'PROTOBUF', definition: common }, { autoRegister: true });
    const response = await fetch(`${registry.url}/subjects/invoices-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({
        schemaType: 'PROTOBUF',
        schema: main,
        references: [{ name: 'common.proto', subject: 'common.proto', version: 1 }],
      }),
    });
    const { id } = (await response.json()) as { id: number };
    expect(await client.schemaById(String(id))).toEqual({
      format: 'PROTOBUF',
      definition: main,
      references: [{ name: 'common.proto', definition: common, references: [] }],
    });
  });

  it('an unknown id is SchemaNotFoundError (permanent, SCHEMA_NOT_FOUND)', async () => {
    const error = await failure(confluentRegistry({ url: registry.url }).schemaById('999999'));
    expect(error).toBeInstanceOf(SchemaNotFoundError);
    expect(error).toMatchObject({ code: 'SCHEMA_NOT_FOUND', permanent: true });
  });

  it('a registry that is down is RegistryUnavailableError (retryable) after the retries', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await failure(confluentRegistry({ url: `http://127.0.0.1:${port}`, retries: 2 }).schemaById('1'));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', permanent: false });
    expect(error.message).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300); // 100 + 200 ms between the three attempts
  });

  it('retries a 5xx answer and succeeds when the registry recovers; gives up as RegistryUnavailableError after the retries', async () => {
    let calls = 0;
    let failures = 1;
    const flaky = createHttpServer((_request, response) => {
      calls++;
      if (calls <= failures) response.writeHead(503, { 'content-type': 'application/json' }).end('{"error_code":50302,"message":"busy"}');
      else response.writeHead(200, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end(JSON.stringify({ schema: ORDER }));
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const address = flaky.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      expect((await confluentRegistry({ url, retries: 2 }).schemaById('1')).definition).toBe(ORDER);
      expect(calls).toBe(2);
      calls = 0;
      failures = 10;
      const error = await failure(confluentRegistry({ url, retries: 2 }).schemaById('1'));
      expect(error).toBeInstanceOf(RegistryUnavailableError);
      expect(error.message).toMatch(/answered 503 \(error_code 50302\)/);
      expect(calls).toBe(3);
    } finally {
      await new Promise((resolve) => flaky.close(resolve));
    }
  });

  it('a slow registry times out as RegistryUnavailableError, and answers again once it is fast', async () => {
    const slow = await startLocalRegistry({ delayMs: 500 });
    try {
      const client = confluentRegistry({ url: slow.url, timeoutMs: 50, retries: 0 });
      const error = await failure(client.schemaById('1'));
      expect(error).toBeInstanceOf(RegistryUnavailableError);
      expect(error.message).toMatch(/did not answer within 50 ms/);
      slow.setDelay(0);
      slow.store.register('s', 'AVRO', ORDER, []);
      expect((await client.schemaById('1')).definition).toBe(ORDER);
    } finally {
      await slow.close();
    }
  });

  it('401 is RegistryUnavailableError naming no credentials; basic auth from options or the URL works', async () => {
    const secured = await startLocalRegistry({ users: { 'api-key': 's3cr3t-pass' } });
    try {
      secured.store.register('orders-value', 'AVRO', ORDER, []);
      const anonymous = await failure(confluentRegistry({ url: secured.url, retries: 0 }).schemaById('1'));
      expect(anonymous).toBeInstanceOf(RegistryUnavailableError);
      expect(anonymous.message).toMatch(/refused the credentials/);
      const wrong = await failure(
        confluentRegistry({ url: secured.url, basicAuth: { username: 'api-key', password: 'wrong-pass' } }).schemaById('1'),
      );
      expect(wrong.message).not.toMatch(/wrong-pass|api-key/);
      const url = new URL(secured.url);
      url.username = 'api-key';
      url.password = 's3cr3t-pass';
      const fromUrl = confluentRegistry({ url: url.href });
      expect(fromUrl.description).not.toMatch(/s3cr3t/);
      expect((await fromUrl.schemaById('1')).definition).toBe(ORDER);
      expect(
        (await confluentRegistry({ url: secured.url, basicAuth: { username: 'api-key', password: 's3cr3t-pass' } }).schemaById('1')).format,
      ).toBe('AVRO');
    } finally {
      await secured.close();
    }
  });
});

describe('confluentRegistryFromEnv()', () => {
  let restoreCredentials: () => void;
  beforeAll(() => {
    restoreCredentials = useTestCredentials();
  });
  afterAll(() => restoreCredentials());

  it('reads basic auth from a Secrets Manager secret once, with the real SDK client against a local endpoint', async () => {
    const secured = await startLocalRegistry({ users: { 'sr-user': 'sr-pass' } });
    const standIn = await startAwsStandIn({ secretString: JSON.stringify({ username: 'sr-user', password: 'sr-pass' }) });
    try {
      secured.store.register('a', 'AVRO', ORDER, []);
      secured.store.register('b', 'AVRO', JSON.stringify({ type: 'record', name: 'B', fields: [] }), []);
      const client = confluentRegistryFromEnv(
        { SCHEMA_REGISTRY_URL: secured.url, SCHEMA_REGISTRY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:sr' },
        { secretsEndpoint: standIn.endpoint, region: 'us-east-1' },
      );
      expect((await client.schemaById('1')).definition).toBe(ORDER);
      expect((await client.schemaById('2')).format).toBe('AVRO');
      expect(standIn.requests.filter((r) => r.headers['x-amz-target'] === 'secretsmanager.GetSecretValue')).toHaveLength(1);
    } finally {
      await Promise.all([secured.close(), standIn.close()]);
    }
  });

  it('a secret that cannot be read makes lookups RegistryUnavailableError (the lane is redelivered, nothing dead-lettered)', async () => {
    const standIn = await startAwsStandIn({ secretString: '{"user":"x"}' });
    try {
      const client = confluentRegistryFromEnv(
        { SCHEMA_REGISTRY_URL: registry.url, SCHEMA_REGISTRY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:sr' },
        { secretsEndpoint: standIn.endpoint, region: 'us-east-1' },
      );
      const error = await failure(client.schemaById('1'));
      expect(error).toBeInstanceOf(RegistryUnavailableError);
      expect(error.message).toMatch(/credentials could not be read/);
    } finally {
      await standIn.close();
    }
  });

  it('takes USER_INFO, refuses two credential sources and a missing URL', () => {
    expect(() => confluentRegistryFromEnv({})).toThrow(ConfigError);
    expect(() => confluentRegistryFromEnv({ SCHEMA_REGISTRY_URL: registry.url, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'nocolon' })).toThrow(
      ConfigError,
    );
    expect(() =>
      confluentRegistryFromEnv({
        SCHEMA_REGISTRY_URL: registry.url,
        SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'k:s',
        SCHEMA_REGISTRY_SECRET_ARN: 'arn',
      }),
    ).toThrow(/only one of/);
    expect(confluentRegistryFromEnv({ SCHEMA_REGISTRY_URL: registry.url, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'k:s' }).kind).toBe(
      'confluent',
    );
  });
});

describe('mTLS', () => {
  it('presents the client certificate from SCHEMA_REGISTRY_CERT_FILE/KEY_FILE and trusts SCHEMA_REGISTRY_CA_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klr-mtls-'));
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=test-ca');
    for (const name of ['server', 'client']) {
      ssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${name === 'server' ? '127.0.0.1' : 'lambda'}`,
      );
      writeFileSync(join(dir, `${name}.ext`), name === 'server' ? 'subjectAltName=IP:127.0.0.1' : 'extendedKeyUsage=clientAuth');
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      );
    }
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    const server = createHttpsServer(
      { key: read('server.key'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true },
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end(JSON.stringify({ schema: ORDER }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const withCert = confluentRegistryFromEnv({
        SCHEMA_REGISTRY_URL: url,
        SCHEMA_REGISTRY_CA_FILE: join(dir, 'ca.pem'),
        SCHEMA_REGISTRY_CERT_FILE: join(dir, 'client.pem'),
        SCHEMA_REGISTRY_KEY_FILE: join(dir, 'client.key'),
      });
      expect((await withCert.schemaById('1')).definition).toBe(ORDER);
      const withoutCert = confluentRegistryFromEnv({ SCHEMA_REGISTRY_URL: url, SCHEMA_REGISTRY_CA_FILE: join(dir, 'ca.pem') });
      expect(await failure(withoutCert.schemaById('1'))).toBeInstanceOf(RegistryUnavailableError);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
