import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { renderLog4j2Properties, renderServerProperties, type ScramUser, scramFormatArgument } from './config.js';
import { BrokerHarnessError } from './errors.js';
import { ensureKafkaJars } from './jars.js';
import { freePort } from './ports.js';
import { assertJava } from './prerequisites.js';
import { spawnGuarded } from './process.js';
import { runCollecting } from './run-collecting.js';
import { createLoopbackCertificate } from './tls.js';

/** Options for {@link startKafkaBroker}. */
export interface StartBrokerOptions {
  /** Opens a SASL_SSL listener with these SCRAM-SHA-512 users and a self-signed certificate. */
  readonly scramUsers?: readonly ScramUser[];
  /** Fixed PLAINTEXT port; a free one by default. */
  readonly port?: number;
  /** Trade peak JIT speed for a faster start (C1 only). Default true; benchmarks turn it off. */
  readonly fastStart?: boolean;
  /** Maximum broker heap in MiB (default 512). */
  readonly heapMb?: number;
  /** How long to wait for the broker to answer a metadata request (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** Progress lines (default: stderr with a `[kafka]` prefix). */
  readonly log?: (line: string) => void;
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
  /** Process-group id of the broker (its guardian shell and the JVM). */
  readonly pid: number;
  /** The temporary directory holding config and data; removed on stop. */
  readonly dataDir: string;
  /** SIGTERM, SIGKILL after `graceMs` (default 20 s); the data directory is removed. */
  stop(graceMs?: number): Promise<void>;
}

const CLUSTER_ID = 'kLrTestCluster00000001'; // any 22-char base64url id
const JVM_COMMON = ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExplicitGCInvokesConcurrent', '-Djava.awt.headless=true'];

const stderrLog = (line: string) => process.stderr.write(`[kafka] ${line}\n`);

/**
 * Starts Apache Kafka (KRaft, combined broker+controller) from the cached Maven
 * jars, in a fresh temporary directory, on free 127.0.0.1 ports. Resolves only
 * once the broker answers a real metadata request.
 */
export async function startKafkaBroker(options: StartBrokerOptions = {}): Promise<RunningBroker> {
  const log = options.log ?? stderrLog;
  const began = performance.now();
  const java = assertJava();
  const jars = await ensureKafkaJars({ log });
  const jarsMs = performance.now() - began;
  const classpath = join(jars.dir, '*');

  const dataDir = mkdtempSync(join(tmpdir(), 'kafka-lambda-router-broker-'));
  try {
    const [port, controllerPort, saslPort] = await Promise.all([
      options.port ?? freePort(),
      freePort(),
      options.scramUsers?.length ? freePort() : undefined,
    ]);
    const certificate = saslPort !== undefined ? createLoopbackCertificate(dataDir, java) : undefined;
    const serverProperties = join(dataDir, 'server.properties');
    const log4j2 = join(dataDir, 'log4j2.properties');
    writeFileSync(
      serverProperties,
      renderServerProperties({
        port,
        controllerPort,
        logDir: join(dataDir, 'kraft'),
        ...(certificate && saslPort !== undefined
          ? { saslSsl: { port: saslPort, keystorePath: certificate.keystorePath, keystorePassword: certificate.keystorePassword } }
          : {}),
      }),
    );
    writeFileSync(log4j2, renderLog4j2Properties());
    const logConfig = `-Dlog4j2.configurationFile=${log4j2}`;

    const formatBegan = performance.now();
    const scramArgs = (options.scramUsers ?? []).flatMap((user) => ['--add-scram', scramFormatArgument(user)]);
    const format = await runCollecting(java, [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      logConfig,
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
    const formatMs = performance.now() - formatBegan;

    const startBegan = performance.now();
    const heap = options.heapMb ?? 512;
    const jvmArgs = [
      '-Xms128m',
      `-Xmx${heap}m`,
      ...JVM_COMMON,
      ...(options.fastStart === false ? [] : ['-XX:TieredStopAtLevel=1']),
      `-Dkafka.logs.dir=${join(dataDir, 'logs')}`,
      logConfig,
      '-cp',
      classpath,
      'kafka.Kafka',
      serverProperties,
    ];
    const jvm = spawnGuarded(java, jvmArgs, dataDir);
    const brokers = [`127.0.0.1:${port}`];
    await waitUntilReady(brokers, jvm.exited, jvm.logTail, options.readyTimeoutMs ?? 60_000).catch(async (error: unknown) => {
      await jvm.stop(2_000);
      throw error;
    });
    const startMs = performance.now() - startBegan;
    const timings = { jarsMs, formatMs, startMs, totalMs: performance.now() - began };
    log(
      `Apache Kafka ready on ${brokers.join(',')} in ${Math.round(timings.totalMs)} ms ` +
        `(jars ${jars.fetched ? 'fetched' : 'cached'} ${Math.round(jarsMs)} ms, format ${Math.round(formatMs)} ms, start ${Math.round(startMs)} ms)`,
    );
    return {
      brokers,
      bootstrapServers: brokers.join(','),
      ...(certificate && saslPort !== undefined
        ? { saslSsl: { brokers: [`127.0.0.1:${saslPort}`], caPem: certificate.caPem, mechanism: 'scram-sha-512' as const } }
        : {}),
      timings,
      pid: jvm.pid,
      dataDir,
      stop: (graceMs = 20_000) => jvm.stop(graceMs),
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
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
