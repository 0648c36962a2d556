import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BrokerHarnessError } from './errors.js';

/** The oldest JVM the Kafka 4.x broker runs on. */
export const MIN_JAVA_MAJOR = 17;

const INSTALL_HINT =
  'Install a JDK 17+ and Maven (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven), ' +
  'or set KAFKA_BROKERS=host:port to use a Kafka cluster you already run.';

/** The `java` executable to use: `$JAVA_HOME/bin/java` when set, else `java` on PATH. */
export function javaExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Reads the major version out of `java -version` output ("1.8.0_x" → 8, "17.0.15" → 17). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

/** Throws a `BROKER_PREREQUISITE` error naming what to install unless Java 17+ is runnable. */
export function assertJava(env: NodeJS.ProcessEnv = process.env): string {
  const java = javaExecutable(env);
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8', env });
  if (probe.error || probe.status !== 0) {
    throw new BrokerHarnessError('BROKER_PREREQUISITE', `Cannot run '${java}' to start a local Kafka broker. ${INSTALL_HINT}`);
  }
  const major = parseJavaMajor(`${probe.stderr}${probe.stdout}`);
  if (major === undefined || major < MIN_JAVA_MAJOR) {
    throw new BrokerHarnessError(
      'BROKER_PREREQUISITE',
      `Kafka 4.x needs Java ${MIN_JAVA_MAJOR}+, but '${java}' is Java ${major ?? 'of unknown version'}. ${INSTALL_HINT}`,
    );
  }
  return java;
}

/** Throws a `BROKER_PREREQUISITE` error naming what to install unless `mvn` is runnable. */
export function assertMaven(env: NodeJS.ProcessEnv = process.env): string {
  const probe = spawnSync('mvn', ['-v'], { encoding: 'utf8', env });
  if (probe.error || probe.status !== 0) {
    throw new BrokerHarnessError(
      'BROKER_PREREQUISITE',
      `Maven ('mvn') is needed once, to fetch the Kafka broker jars from Maven Central. ${INSTALL_HINT}`,
    );
  }
  return 'mvn';
}
