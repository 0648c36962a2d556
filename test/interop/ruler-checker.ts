// Builds and runs AWS's Event Ruler (the Java matcher behind EventBridge patterns) on pattern/event pairs, so the
// filter matcher can be compared with it case by case (test/integration/interop/event-ruler.test.ts).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyMavenDependencies } from '../../src/harness/local/broker/maven.js';
import { assertJava, assertMaven } from '../../src/harness/local/broker/prerequisites.js';
import { runCollecting } from '../../src/harness/local/broker/run-collecting.js';
import { KafkaRouterError } from '../../src/runtime/errors/index.js';

const PROJECT = fileURLToPath(new URL('./event-ruler/', import.meta.url));
const POM = join(PROJECT, 'pom.xml');
const SOURCE = join(PROJECT, 'src', 'main', 'java', 'interop', 'ruler', 'RulerCheck.java');
const MAIN_CLASS = 'interop.ruler.RulerCheck';
const COMPLETE_MARKER = '.complete';

/** Event Ruler could not be built or run. */
export class RulerCheckError extends KafkaRouterError {
  override name = 'RulerCheckError';

  constructor(message: string) {
    super('INTEROP_PEER', message, { permanent: true });
  }
}

/** Event Ruler's answer for one pair: `match`, `miss`, or `refused …` with its reason. */
export type RulerAnswer = string;

/** The compiled checker's folder (`classes/`, `lib/`), built on first use and cached by a hash of its sources. */
export async function ensureRulerChecker(): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(POM)).update(readFileSync(SOURCE)).digest('hex').slice(0, 12);
  const dir = join(resolve(PROJECT, '..', '..', '..'), '.cache', `event-ruler-${hash}`);
  if (existsSync(join(dir, COMPLETE_MARKER))) return dir;
  assertMaven();
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'classes'), { recursive: true });
  const copy = await copyMavenDependencies(POM, join(partial, 'lib'));
  if (copy.code !== 0) throw new RulerCheckError(`Maven could not fetch Event Ruler (exit ${copy.code}):\n${copy.output}`);
  const javac = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac';
  const compile = await runCollecting(javac, ['--release', '17', '-d', join(partial, 'classes'), '-cp', join(partial, 'lib', '*'), SOURCE]);
  if (compile.code !== 0) throw new RulerCheckError(`javac could not compile ${MAIN_CLASS} (exit ${compile.code}):\n${compile.output}`);
  writeFileSync(join(partial, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/** Asks Event Ruler about each pair (one JVM for all of them). */
export async function runRuler(dir: string, pairs: ReadonlyArray<{ pattern: unknown; event: string }>): Promise<RulerAnswer[]> {
  // Events go as written: their number texts (300 against 300.0) are part of what is compared.
  const input = pairs.map(({ pattern, event }) => `${JSON.stringify(pattern)}\t${event.replace(/[\t\n]/g, ' ')}\n`).join('');
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(
      assertJava(),
      ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', [join(dir, 'classes'), join(dir, 'lib', '*')].join(':'), MAIN_CLASS],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', fail);
    child.on('close', (exit) => done({ code: exit, stdout: out, stderr: err }));
    child.stdin.end(input);
  });
  const answers = stdout.split('\n').slice(0, pairs.length);
  if (code !== 0 || answers.length !== pairs.length) throw new RulerCheckError(`${MAIN_CLASS} exited with ${code}:\n${stderr}`);
  return answers;
}
