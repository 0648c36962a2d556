import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run build` (also run by `npm pack` / `npm publish` through prepack): src/ → dist/ with tsc
// (ESM JavaScript, .d.ts, source maps), plus the non-TypeScript files the CLI reads at run time (the broker's pom.xml).

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const began = performance.now();
rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

let assets = 0;
for (const entry of readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = join(entry.parentPath, entry.name);
  const to = join(ROOT, 'dist', from.slice(join(ROOT, 'src').length));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  assets++;
}
chmodSync(join(ROOT, 'dist/harness/cli/main.js'), 0o755);
process.stdout.write(`built dist/ in ${Math.round(performance.now() - began)} ms (${assets} asset file(s) copied)\n`);
