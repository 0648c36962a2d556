import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

// Integration and e2e tests run what users get: the serverless plugin, bundles and the CLI from dist/.
// `npm test` builds once before them; a direct `vitest run` builds here when dist/ is older than its inputs.

const INPUTS = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.ts'];

function mtimes(path: string): number[] {
  if (!existsSync(path)) return [];
  const stat = statSync(path);
  if (!stat.isDirectory()) return [stat.mtimeMs];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs);
}

/** True when dist/ is missing, or some input changed after the oldest file of the last build was written. */
export function distIsStale(): boolean {
  const built = mtimes(join(ROOT, 'dist'));
  if (built.length === 0) return true;
  return Math.max(...INPUTS.flatMap((input) => mtimes(join(ROOT, input)))) > Math.min(...built);
}

export default function setup(): void {
  if (!distIsStale()) return;
  const began = performance.now();
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  process.stderr.write(`[build] dist/ was stale: rebuilt in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
}
