import { createServer, type Server } from 'node:http';
import avsc, { type Type } from 'avsc';
import { type LocalRegistry, startLocalRegistry } from '../../../src/harness/local/registry/server.js';
import { writeConfluentFrame } from '../../../src/runtime/codec/framing/confluent.js';
import { ReliabilitySuiteError } from './errors.js';
import type { Toxiproxy } from './toxiproxy.js';

/** The toxiproxy proxy in front of the registry: the function's registry client reaches it only through this. */
export const REGISTRY_PROXY = 'schema-registry';

/** The inputs' Avro schema, version `n`: each adds a defaulted field, so each has its own id (a reader must fetch it). */
function chaosSchema(version: number): object {
  const extra = Array.from({ length: version - 1 }, (_, i) => ({ name: `v${i + 2}`, type: 'int', default: 0 }));
  return {
    type: 'record',
    name: 'ChaosInput',
    namespace: 'reliability',
    fields: [{ name: 'id', type: 'string' }, { name: 'key', type: 'string' }, { name: 'seq', type: 'long' }, ...extra],
  };
}

/**
 * A Confluent-compatible registry (the project's local one) behind toxiproxy, for scenario 8: the inputs are
 * Avro in Confluent framing, and the producer switches to a new schema version when a fault starts, so the
 * function must fetch a schema it has not cached while the registry is down, slow or answering 500.
 */
export interface RegistryUnderFault {
  /** Where the function's registry client points: through the proxy. */
  readonly proxyUrl: string;
  /** Registers the next schema version and makes the producer write with it; returns its id. */
  nextVersion(): number;
  /** Encodes an input with the current schema version, in Confluent framing. */
  encode(value: { readonly id: string; readonly key: string; readonly seq: number }): Buffer;
  /** Refuses connections (the proxy disabled) or stops refusing. */
  down(on: boolean): Promise<void>;
  /** Every answer `ms` late (0: none). */
  slow(ms: number): Promise<void>;
  /** Every request answered 500 (a stub behind the proxy) or answered by the registry again. */
  serverErrors(on: boolean): Promise<void>;
  /** Schema fetches the registry itself answered. */
  readonly requests: () => number;
  stop(): Promise<void>;
}

/** Starts the registry, a 500 stub and the proxy; registers version 1 under `subject`. */
export async function startRegistryUnderFault(toxiproxy: Toxiproxy, subject: string): Promise<RegistryUnderFault> {
  const registry: LocalRegistry = await startLocalRegistry();
  const registryPort = Number(new URL(registry.url).port);
  const stub: Server = createServer((_request, response) => {
    response.writeHead(500, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
    response.end(JSON.stringify({ error_code: 50001, message: 'injected server error' }));
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const stubAddress = stub.address();
  const stubPort = typeof stubAddress === 'object' && stubAddress ? stubAddress.port : 0;
  const proxyPort = await toxiproxy.createProxy(REGISTRY_PROXY, registryPort);

  let version = 0;
  let current: { id: number; type: Type } | undefined;
  const nextVersion = () => {
    version++;
    const schema = chaosSchema(version);
    const registered = registry.store.register(subject, 'AVRO', JSON.stringify(schema), []);
    if ('status' in registered) throw new ReliabilitySuiteError(`registering schema v${version} failed: ${registered.message}`);
    current = { id: registered.id, type: avsc.Type.forSchema(schema as never) };
    return registered.id;
  };
  nextVersion();
  return {
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    nextVersion,
    encode(value) {
      const { id, type } = current as { id: number; type: Type };
      return writeConfluentFrame(id, type.toBuffer(value));
    },
    down: (on) => toxiproxy.updateProxy(REGISTRY_PROXY, { enabled: !on }),
    async slow(ms) {
      if (ms > 0)
        await toxiproxy.addToxic(REGISTRY_PROXY, {
          name: 'registry-slow',
          type: 'latency',
          stream: 'downstream',
          attributes: { latency: ms },
        });
      else await toxiproxy.removeToxic(REGISTRY_PROXY, 'registry-slow');
    },
    serverErrors: (on) => toxiproxy.updateProxy(REGISTRY_PROXY, { upstreamPort: on ? stubPort : registryPort }),
    requests: () => registry.requests.filter((request) => request.url.startsWith('/schemas/ids/')).length,
    async stop() {
      await toxiproxy.deleteProxy(REGISTRY_PROXY).catch(() => undefined);
      await registry.close();
      await new Promise<void>((resolve) => stub.close(() => resolve()));
    },
  };
}
