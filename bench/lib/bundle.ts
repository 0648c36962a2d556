import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type Sample, summarize } from './stats.js';

/** A bundled entry, copied into a folder with no node_modules. */
export interface IsolatedBundle {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Packages whose code is inside the bundle. */
  readonly packages: readonly string[];
}

/**
 * Bundles an entry the way Lambda functions are bundled (ESM, node22, minified,
 * `@aws-sdk/*` external because the runtime provides it) and copies it into an
 * empty folder: importing it there fails if anything external is loaded.
 */
export async function bundleIsolated(entry: string): Promise<IsolatedBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'klr-bundle-'));
  const out = join(dir, `${basename(entry, '.ts')}.mjs`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    outfile: out,
    external: ['@aws-sdk/*'],
    metafile: true,
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
  });
  const isolated = join(mkdtempSync(join(tmpdir(), 'klr-isolated-')), basename(out));
  copyFileSync(out, isolated);
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  const bytes = statSync(isolated).size;
  return { file: isolated, bytes, gzipBytes: gzipSync(readFileSync(isolated)).length, packages: [...packages].sort() };
}

/** Import time of a module in fresh node processes (ms, the module's own import only). */
export function importTimes(file: string, runs: number): Sample {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
    times.push(Number(child.stdout));
  }
  return summarize(times);
}
