import { runCollecting } from './run-collecting.js';

/**
 * Copies the runtime dependency closure of `pom` into `outputDir` with Maven
 * (quiet, batch mode, a pinned maven-dependency-plugin), keeping the tail of
 * its output for the caller's error message.
 */
export function copyMavenDependencies(
  pom: string,
  outputDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; output: string }> {
  return runCollecting(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      pom,
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${outputDir}`,
    ],
    env,
  );
}
