import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrokerLayout, renderLog4j2Properties, renderServerProperties, type ScramUser, scramFormatArgument } from './config.js';
import { BrokerHarnessError } from './errors.js';
import { freePort } from './ports.js';
import { runCollecting } from './run-collecting.js';
import { createLoopbackCertificate } from './tls.js';

/** What a new broker's storage is created with (a reused storage keeps what it was created with). */
export interface StorageOptions {
  /** Opens a SASL_SSL listener with these SCRAM-SHA-512 users and a self-signed certificate. */
  readonly scramUsers?: readonly ScramUser[];
  /** Fixed PLAINTEXT port; a free one by default. */
  readonly port?: number;
  /** `auto.create.topics.enable` (default true). */
  readonly autoCreateTopics?: boolean;
  /**
   * Adds a plaintext listener that advertises this port instead of its own, so
   * clients bootstrapped through a proxy on that port stay behind the proxy.
   */
  readonly proxiedAdvertisedPort?: number;
}

/** A broker's on-disk state: its config files and where it listens. */
export interface BrokerStorage {
  readonly layout: BrokerLayout;
  readonly serverProperties: string;
  readonly log4j2: string;
  /** PEM of the SASL_SSL listener's certificate, when it has one. */
  readonly caPem: string | undefined;
  /** True when the directory already held a formatted broker and was reused as is. */
  readonly reused: boolean;
}

const CLUSTER_ID = 'kLrTestCluster00000001'; // any 22-char base64url id
const LAYOUT_FILE = 'broker-layout.json';

/** True when `dataDir` holds a broker an earlier start formatted (a restart: its ports are fixed). */
export function hasSavedStorage(dataDir: string): boolean {
  return existsSync(join(dataDir, LAYOUT_FILE));
}

/**
 * Returns the storage in `dataDir`: the one written by an earlier start (a
 * restart keeps its ports, listeners and data), or a new one: free ports,
 * config files, a certificate if SCRAM users are asked for, formatted by
 * Kafka's StorageTool.
 */
export async function prepareStorage(dataDir: string, options: StorageOptions, java: string, classpath: string): Promise<BrokerStorage> {
  mkdirSync(dataDir, { recursive: true });
  const serverProperties = join(dataDir, 'server.properties');
  const log4j2 = join(dataDir, 'log4j2.properties');
  const saved = join(dataDir, LAYOUT_FILE);
  if (existsSync(saved)) {
    const { layout, caPem } = JSON.parse(readFileSync(saved, 'utf8')) as { layout: BrokerLayout; caPem?: string };
    return { layout, serverProperties, log4j2, caPem, reused: true };
  }

  const [port, controllerPort, saslPort, proxiedPort] = await Promise.all([
    options.port ?? freePort(),
    freePort(),
    options.scramUsers?.length ? freePort() : undefined,
    options.proxiedAdvertisedPort !== undefined ? freePort() : undefined,
  ]);
  const certificate = saslPort !== undefined ? createLoopbackCertificate(dataDir, java) : undefined;
  const layout: BrokerLayout = {
    port,
    controllerPort,
    logDir: join(dataDir, 'kraft'),
    ...(certificate && saslPort !== undefined
      ? { saslSsl: { port: saslPort, keystorePath: certificate.keystorePath, keystorePassword: certificate.keystorePassword } }
      : {}),
    ...(proxiedPort !== undefined && options.proxiedAdvertisedPort !== undefined
      ? { proxied: { port: proxiedPort, advertisedPort: options.proxiedAdvertisedPort } }
      : {}),
    ...(options.autoCreateTopics !== undefined ? { autoCreateTopics: options.autoCreateTopics } : {}),
  };
  writeFileSync(serverProperties, renderServerProperties(layout));
  writeFileSync(log4j2, renderLog4j2Properties());

  const scramArgs = (options.scramUsers ?? []).flatMap((user) => ['--add-scram', scramFormatArgument(user)]);
  const format = await runCollecting(java, [
    '-Xmx256m',
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Dlog4j2.configurationFile=${log4j2}`,
    '-cp',
    classpath,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    CLUSTER_ID,
    '-c',
    serverProperties,
    ...scramArgs,
  ]);
  if (format.code !== 0) {
    throw new BrokerHarnessError('BROKER_START', `Formatting the broker storage failed (exit ${format.code}):\n${format.output}`);
  }
  // Written last: a directory whose format failed is never mistaken for a usable one.
  writeFileSync(saved, JSON.stringify({ layout, ...(certificate ? { caPem: certificate.caPem } : {}) }));
  return { layout, serverProperties, log4j2, caPem: certificate?.caPem, reused: false };
}
