import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { ScramUser } from './config.js';
import { BrokerHarnessError } from './errors.js';
import { ensureKafkaJars } from './jars.js';
import { PORT_ATTEMPTS, retryOnTakenPort } from './port-retry.js';
import { assertJava } from './prerequisites.js';
import { spawnGuarded } from './process.js';
import { hasSavedStorage, prepareStorage, type StorageOptions } from './storage.js';

/** Options for {@link startKafkaBroker}. */
export interface StartBrokerOptions extends StorageOptions {
  /** Trade peak JIT speed for a faster start (C1 only). Default true; benchmarks turn it off. */
  readonly fastStart?: boolean;
  /** Maximum broker heap in MiB (default 512). */
  readonly heapMb?: number;
  /** How long to wait for the broker to answer a metadata request (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** Progress lines (default: stderr with a `[kafka]` prefix). */
  readonly log?: (line: string) => void;
  /**
   * A directory to keep (crash and restart tests): formatted on first use and
   * never removed; when it already holds a broker, that broker restarts on its
   * data with its ports and listeners (the other options are then ignored).
   * Default: a fresh temporary directory, removed on stop.
   */
  readonly dataDir?: string;
}

/** Where a running broker's SASL_SSL listener is and how to trust it. */
export interface SaslSslListener {
  readonly brokers: readonly string[];
  /** PEM of the broker's self-signed certificate, for `ssl: { ca: [caPem] }`. */
  readonly caPem: string;
  readonly mechanism: 'scram-sha-512';
}

/** Milliseconds spent in each step of a broker start. */
export interface BrokerTimings {
  readonly jarsMs: number;
  readonly formatMs: number;
  readonly startMs: number;
  readonly totalMs: number;
}

/** A single-node KRaft broker on loopback, owned by this process. */
export interface RunningBroker {
  readonly brokers: readonly string[];
  readonly bootstrapServers: string;
  readonly saslSsl?: SaslSslListener;
  readonly timings: BrokerTimings;
  /** The proxied listener: the broker listens on `port` and advertises `advertisedPort`. */
  readonly proxied?: { readonly port: number; readonly advertisedPort: number };
  /** Process-group id of the broker (its guardian shell and the JVM). */
  readonly pid: number;
  /** The directory holding config and data; removed on stop unless it was given as `dataDir`. */
  readonly dataDir: string;
  /** True when this start reused a broker's existing storage (a restart). */
  readonly restarted: boolean;
  /** SIGTERM, SIGKILL after `graceMs` (default 20 s); a temporary data directory is removed. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash: no shutdown hook, no clean log close. */
  kill(): Promise<void>;
}

const JVM_COMMON = ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExplicitGCInvokesConcurrent', '-Djava.awt.headless=true'];

const stderrLog = (line: string) => process.stderr.write(`[kafka] ${line}\n`);

/**
 * Starts Apache Kafka (KRaft, combined broker+controller) from the cached Maven
 * jars on free 127.0.0.1 ports: in a fresh temporary directory, or in
 * `options.dataDir`, where a broker stopped or killed earlier restarts on its
 * data and ports. Resolves only once the broker answers a real metadata request.
 */
export async function startKafkaBroker(options: StartBrokerOptions = {}): Promise<RunningBroker> {
  const log = options.log ?? stderrLog;
  // Ports are ours to pick again only for a new broker on ports nobody asked for; a restart keeps its saved ones.
  const canRetry = options.port === undefined && (options.dataDir === undefined || !hasSavedStorage(options.dataDir));
  return retryOnTakenPort(
    () => startOnce(options),
    canRetry,
    (attempt) => {
      log(
        `a port picked for the broker was taken before the broker bound it; starting again on new ports (attempt ${attempt} of ${PORT_ATTEMPTS})`,
      );
      // This attempt formatted the directory with the taken port; the next one formats it again.
      if (options.dataDir !== undefined) rmSync(options.dataDir, { recursive: true, force: true });
    },
  );
}

/** One start of the broker: storage, JVM, and the wait until it answers. */
async function startOnce(options: StartBrokerOptions): Promise<RunningBroker> {
  const log = options.log ?? stderrLog;
  const began = performance.now();
  const java = assertJava();
  const jars = await ensureKafkaJars({ log });
  const jarsMs = performance.now() - began;
  const classpath = join(jars.dir, '*');

  const keepData = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kafka-lambda-router-broker-'));
  try {
    const formatBegan = performance.now();
    const storage = await prepareStorage(dataDir, options, java, classpath);
    const formatMs = performance.now() - formatBegan;
    const { layout } = storage;

    const startBegan = performance.now();
    const heap = options.heapMb ?? 512;
    const jvmArgs = [
      '-Xms128m',
      `-Xmx${heap}m`,
      ...JVM_COMMON,
      ...(options.fastStart === false ? [] : ['-XX:TieredStopAtLevel=1']),
      `-Dkafka.logs.dir=${join(dataDir, 'logs')}`,
      `-Dlog4j2.configurationFile=${storage.log4j2}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      storage.serverProperties,
    ];
    const jvm = spawnGuarded(java, jvmArgs, dataDir, { keepData });
    const brokers = [`127.0.0.1:${layout.port}`];
    await waitUntilReady(brokers, jvm.exited, jvm.logTail, options.readyTimeoutMs ?? 60_000).catch(async (error: unknown) => {
      await jvm.stop(2_000);
      throw error;
    });
    const startMs = performance.now() - startBegan;
    const timings = { jarsMs, formatMs, startMs, totalMs: performance.now() - began };
    log(
      `Apache Kafka ${storage.reused ? 'restarted' : 'ready'} on ${brokers.join(',')} in ${Math.round(timings.totalMs)} ms ` +
        `(jars ${jars.fetched ? 'fetched' : 'cached'} ${Math.round(jarsMs)} ms, ${storage.reused ? 'storage reused' : 'format'} ${Math.round(formatMs)} ms, start ${Math.round(startMs)} ms)`,
    );
    return {
      brokers,
      bootstrapServers: brokers.join(','),
      ...(layout.saslSsl && storage.caPem
        ? { saslSsl: { brokers: [`127.0.0.1:${layout.saslSsl.port}`], caPem: storage.caPem, mechanism: 'scram-sha-512' as const } }
        : {}),
      ...(layout.proxied ? { proxied: { port: layout.proxied.port, advertisedPort: layout.proxied.advertisedPort } } : {}),
      timings,
      pid: jvm.pid,
      dataDir,
      restarted: storage.reused,
      stop: (graceMs = 20_000) => jvm.stop(graceMs),
      kill: () => jvm.kill(),
    };
  } catch (error) {
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Polls with a real metadata request: the port opens well before the broker serves requests. */
async function waitUntilReady(
  brokers: string[],
  exited: Promise<number | string>,
  logTail: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | string | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const kafka = new Kafka({
    clientId: 'kafka-lambda-router-harness',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  });
  for (;;) {
    if (exitCode !== undefined) {
      throw new BrokerHarnessError(
        'BROKER_START',
        `The Kafka broker exited (${exitCode}) before it was ready. Last log lines:\n${logTail()}`,
      );
    }
    if (Date.now() > deadline) {
      throw new BrokerHarnessError('BROKER_START', `The Kafka broker did not answer within ${timeoutMs} ms. Last log lines:\n${logTail()}`);
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0) return;
    } catch {
      // Not serving yet; try again shortly.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Random credentials for a throwaway SCRAM user (alphanumeric, as StorageTool needs). */
export function randomScramUser(name: string): ScramUser {
  return { name, password: randomBytes(18).toString('hex') };
}
