import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyMavenDependencies } from '../../src/harness/local/broker/maven.js';
import { assertJava, assertMaven } from '../../src/harness/local/broker/prerequisites.js';
import { runCollecting } from '../../src/harness/local/broker/run-collecting.js';
import { KafkaRouterError } from '../../src/runtime/errors/index.js';

const PROJECT = fileURLToPath(new URL('./spring/', import.meta.url));
const POM = join(PROJECT, 'pom.xml');
const SOURCES = join(PROJECT, 'src', 'main', 'java');
const REPOSITORY_ROOT = resolve(PROJECT, '..', '..', '..');
const MAIN_CLASS = 'interop.spring.SpringDeadLetterCheck';
const COMPLETE_MARKER = '.complete';

/** The Java peer could not be built or run; `code` says which. */
export class SpringInteropError extends KafkaRouterError {
  override name = 'SpringInteropError';
  /** Which step failed: building the Java program or running it. */
  readonly step: 'SPRING_BUILD' | 'SPRING_RUN';

  constructor(step: 'SPRING_BUILD' | 'SPRING_RUN', message: string) {
    super('INTEROP_PEER', message, { permanent: true });
    this.step = step;
  }
}

/** A dead letter as the Spring listener bound it (`@Header(KafkaHeaders.DLT_*)` parameters). */
export interface SpringDeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Base64 of the record's key and value bytes (null when absent). */
  readonly key: string | null;
  readonly value: string | null;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: number;
  readonly originalTimestamp: number;
  readonly originalTimestampType: string;
  /** `TimestampType.forName(originalTimestampType).name()`. */
  readonly originalTimestampTypeEnum: string;
  readonly exceptionFqcn: string;
  readonly exceptionMessage: string;
  readonly exceptionStacktrace: string;
  readonly correlationId: string | null;
}

/** What the Spring program read; see SpringDeadLetterCheck.java. */
export interface SpringReport {
  /** False when the deadline passed before `expected` records were read. */
  readonly complete: boolean;
  /** When each listener was assigned its partitions and read its first record (ms after the program started). */
  readonly timeline: readonly string[];
  readonly keyedTopicPartitions: number;
  /** Records a listener could not bind, with Spring's exception chain. */
  readonly errors: ReadonlyArray<{ topic: string; partition: number; offset: number; error: string }>;
  readonly deadLetters: readonly SpringDeadLetter[];
  readonly originals: ReadonlyArray<{ topic: string; partition: number; offset: number; timestamp: number; timestampType: string }>;
  /** Each keyed record: where it landed, and where the Java producer would put its key. */
  readonly keyed: ReadonlyArray<{ key: string | null; partition: number; javaPartition: number | null; murmur2Partition: number | null }>;
}

/** Where the compiled checker is cached: keyed by a hash of the pom and the Java sources, so an edit rebuilds. */
export function springCheckerDirectory(): string {
  const hash = createHash('sha256');
  for (const file of [POM, ...javaSources()]) hash.update(relative(PROJECT, file)).update('\0').update(readFileSync(file));
  return join(REPOSITORY_ROOT, '.cache', `spring-interop-${hash.digest('hex').slice(0, 12)}`);
}

/**
 * Returns the folder with the compiled checker (`classes/`) and its runtime closure (`lib/`), building it
 * the first time: Maven copies the pinned jars from Maven Central, javac compiles the class. Like the broker
 * jars, it is built in a sibling folder and renamed into place, so an interrupted build is never used, and
 * once built it needs no network.
 */
export async function ensureSpringChecker(): Promise<{ dir: string; built: boolean }> {
  const dir = springCheckerDirectory();
  if (existsSync(join(dir, COMPLETE_MARKER))) return { dir, built: false };
  assertMaven();
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'classes'), { recursive: true });
  const copy = await copyMavenDependencies(POM, join(partial, 'lib'));
  if (copy.code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new SpringInteropError(
      'SPRING_BUILD',
      `Maven could not fetch the Spring for Apache Kafka jars (exit ${copy.code}):\n${copy.output}`,
    );
  }
  const javac = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac';
  const compile = await runCollecting(javac, [
    '--release',
    '17',
    '-proc:none',
    '-encoding',
    'UTF-8',
    '-d',
    join(partial, 'classes'),
    '-cp',
    join(partial, 'lib', '*'),
    ...javaSources(),
  ]);
  if (compile.code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new SpringInteropError('SPRING_BUILD', `javac could not compile ${MAIN_CLASS} (exit ${compile.code}):\n${compile.output}`);
  }
  writeFileSync(join(partial, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  if (existsSync(join(dir, COMPLETE_MARKER))) {
    // Another process finished first; its copy is as good as ours.
    rmSync(partial, { recursive: true, force: true });
  } else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  return { dir, built: true };
}

/** A topic and how many partitions it has: the program is assigned all of them, from offset 0. */
export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: number;
}

/** Options of {@link runSpringChecker}. The program has two listener slots for dead letters and originals. */
export interface SpringCheckOptions {
  readonly dir: string;
  readonly brokers: readonly string[];
  readonly deadLetterTopics: readonly [TopicPartitions, TopicPartitions];
  readonly originalTopics: readonly [TopicPartitions, TopicPartitions];
  readonly keyedTopic: TopicPartitions;
  /** Records to read over all topics before reporting. */
  readonly expected: number;
  /** A deadline, not a wait: the program reports as soon as it has read `expected` records. */
  readonly timeoutMs?: number;
}

/** Runs the Spring program once (a fresh JVM) and returns what it read. */
export async function runSpringChecker(options: SpringCheckOptions): Promise<SpringReport> {
  const java = assertJava();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const slots = (role: string, topics: readonly TopicPartitions[]) =>
    topics.flatMap(({ topic, partitions }, slot) => [
      `-Dinterop.${role}-topic.${slot}=${topic}`,
      `-Dinterop.${role}-partitions.${slot}=0-${partitions - 1}`,
    ]);
  const args = [
    // A short-lived JVM: C1 only and the serial collector start fastest.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    `-Dinterop.bootstrap=${options.brokers.join(',')}`,
    ...slots('dead-letter', options.deadLetterTopics),
    ...slots('original', options.originalTopics),
    `-Dinterop.keyed-topic=${options.keyedTopic.topic}`,
    `-Dinterop.keyed-partitions=0-${options.keyedTopic.partitions - 1}`,
    `-Dinterop.expected=${options.expected}`,
    `-Dinterop.timeout-ms=${timeoutMs}`,
    '-cp',
    [join(options.dir, 'classes'), join(options.dir, 'lib', '*')].join(':'),
    MAIN_CLASS,
  ];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-4000);
    });
    // The program reports by the deadline on its own; this only guards against a hung JVM.
    const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 30_000);
    child.on('error', fail);
    child.on('close', (exit) => {
      clearTimeout(guard);
      done({ code: exit, stdout: out, stderr: err });
    });
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new SpringInteropError('SPRING_RUN', `${MAIN_CLASS} exited with ${code} without a report:\n${stderr}`);
  return JSON.parse(line) as SpringReport;
}

function javaSources(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.java')) found.push(path);
    }
  };
  walk(SOURCES);
  return found;
}
