import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { type RunningBroker, startKafkaBroker } from '../../../src/harness/local/broker/broker.js';
import { ReliabilitySuiteError } from './errors.js';
import { ensureToxiproxy, startToxiproxy, type Toxiproxy } from './toxiproxy.js';

/** The proxy's name in toxiproxy: the function's producer talks to the broker through it. */
export const PROXY = 'kafka-producer';

/**
 * The suite's own broker (it crashes it, so it never uses `KAFKA_BROKERS`):
 * auto-creation off as on MSK, data kept across a SIGKILL, and a second
 * listener advertised through toxiproxy for the function's producer.
 */
export interface SuiteEnvironment {
  /** Direct bootstrap address (orchestrator, emulator). */
  readonly brokers: readonly string[];
  /** Through the fault proxy (the function's producer). */
  readonly publishBrokers: readonly string[];
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly toxiproxy: Toxiproxy;
  /** SIGKILLs the broker; its data directory stays. */
  killBroker(): Promise<void>;
  /** Starts the broker again on the same data directory and ports. */
  restartBroker(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds toxiproxy if needed, starts it and the broker, and wires the proxy to the broker's proxied listener. */
export async function startSuiteEnvironment(log: (line: string) => void): Promise<SuiteEnvironment> {
  const toxiproxyBinary = await ensureToxiproxy(log);
  // The proxy binds its port first, so the broker can advertise it; its upstream is set once the broker's proxied
  // listener exists (port 9 is a placeholder nothing connects to before then).
  const toxiproxy = await startToxiproxy(toxiproxyBinary);
  const proxyPort = await toxiproxy.createProxy(PROXY, 9);
  const root = mkdtempSync(join(tmpdir(), 'kafka-lambda-router-chaos-'));
  const dataDir = join(root, 'broker');
  const brokerLog = (line: string) => log(`[kafka] ${line}`);
  let broker: RunningBroker = await startKafkaBroker({
    dataDir,
    autoCreateTopics: false,
    proxiedAdvertisedPort: proxyPort,
    log: brokerLog,
  }).catch(async (error: unknown) => {
    await toxiproxy.stop();
    throw error;
  });
  const proxied = broker.proxied;
  if (!proxied) throw new ReliabilitySuiteError('The broker started without its proxied listener');
  await toxiproxy.updateProxy(PROXY, { upstreamPort: proxied.port });
  const kafka = new Kafka({
    clientId: 'chaos-orchestrator',
    brokers: [...broker.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8 },
  });
  const admin = kafka.admin();
  await admin.connect();
  return {
    brokers: broker.brokers,
    publishBrokers: [`127.0.0.1:${proxyPort}`],
    kafka,
    admin,
    toxiproxy,
    killBroker: () => broker.kill(),
    async restartBroker() {
      broker = await startKafkaBroker({ dataDir, log: brokerLog });
    },
    async stop() {
      await admin.disconnect().catch(() => undefined);
      await toxiproxy.stop();
      await broker.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
