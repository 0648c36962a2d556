import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userCacheDir } from '../user-dirs.js';
import { BrokerHarnessError } from './errors.js';
import { copyMavenDependencies } from './maven.js';
import { assertMaven } from './prerequisites.js';

// Next to this module in src/ and in dist/ (the build copies it): the package ships it, Maven reads it from there.
const POM = fileURLToPath(new URL('./pom.xml', import.meta.url));
const COMPLETE_MARKER = '.complete';

/** The Kafka version pinned in `pom.xml`. */
export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'))?.[1] ?? 'unknown';

/** Where the broker jars are cached: `$KAFKA_JARS_DIR`, else `kafka-<version>/libs` in the per-user cache folder. */
export function jarsDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.KAFKA_JARS_DIR || join(userCacheDir(env), `kafka-${KAFKA_VERSION}`, 'libs');
}

/** True when a complete jar set is cached, so starting a broker needs no network. */
export function jarsAreCached(dir: string = jarsDirectory()): boolean {
  return existsSync(join(dir, COMPLETE_MARKER));
}

/**
 * Returns the cached jar folder, fetching the pinned closure with Maven the first time.
 * The fetch lands in a sibling folder and is renamed into place, so an interrupted
 * fetch is never mistaken for a complete one.
 */
export async function ensureKafkaJars(
  options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): Promise<{ dir: string; fetched: boolean }> {
  const env = options.env ?? process.env;
  const dir = jarsDirectory(env);
  if (jarsAreCached(dir)) return { dir, fetched: false };

  assertMaven(env);
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  options.log?.(`fetching Apache Kafka ${KAFKA_VERSION} broker jars from Maven Central into ${dir}`);

  const output = await copyMavenDependencies(POM, partial, env);
  if (output.code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new BrokerHarnessError(
      'BROKER_JARS',
      `Maven could not fetch the Kafka ${KAFKA_VERSION} jars (exit ${output.code}):\n${output.output}`,
    );
  }
  writeFileSync(join(partial, COMPLETE_MARKER), `${KAFKA_VERSION}\n`);
  if (jarsAreCached(dir)) {
    // Another process finished first; its copy is as good as ours.
    rmSync(partial, { recursive: true, force: true });
  } else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  return { dir, fetched: true };
}
