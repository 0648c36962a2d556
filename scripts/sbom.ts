// `npm run sbom` (run by `npm run build`): the CycloneDX SBOM of the runtime dependencies, written to dist/sbom.cdx.json,
// so it ships with the package.
// npm's own `npm sbom --omit=dev` drops production packages that a dev package also reaches through a peer
// dependency (npm/cli#7909; here it lists 3 of 29), so the SBOM is taken from a staging copy where only the
// runtime tree is installed, from the lockfile.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The parts of a CycloneDX component the checks read. */
export interface SbomComponent {
  readonly name: string;
  readonly version: string;
  readonly licenses?: ReadonlyArray<{ readonly license?: { readonly id?: string; readonly name?: string }; readonly expression?: string }>;
}

/** A CycloneDX BOM as `npm sbom` writes it (the fields used here). */
export interface CycloneDxBom {
  readonly bomFormat: 'CycloneDX';
  readonly specVersion: string;
  readonly components: readonly SbomComponent[];
}

/** The runtime tree: its SBOM and how much it takes on disk once installed. */
export interface RuntimeTree {
  readonly bom: CycloneDxBom;
  readonly installedBytes: number;
}

/**
 * Installs the runtime dependencies alone (`npm ci --omit=dev` from the
 * lockfile, no scripts) in a staging copy of the project, then runs
 * `npm sbom --sbom-format cyclonedx` there.
 */
export async function runtimeTree(root = ROOT): Promise<RuntimeTree> {
  const stage = join(mkdtempSync(join(tmpdir(), 'klr-sbom-')), 'kafka-lambda-router');
  mkdirSync(stage);
  try {
    for (const file of ['package.json', 'package-lock.json', '.npmrc'])
      if (existsSync(join(root, file))) copyFileSync(join(root, file), join(stage, file));
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: stage });
    // Dev dependencies are not installed here: without them in package.json, npm sbom describes what is.
    const manifest = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.devDependencies;
    writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
    const { stdout } = await run('npm', ['sbom', '--sbom-format', 'cyclonedx'], { cwd: stage, maxBuffer: 64 * 1024 * 1024 });
    return { bom: JSON.parse(stdout) as CycloneDxBom, installedBytes: directoryBytes(join(stage, 'node_modules')) };
  } finally {
    rmSync(join(stage, '..'), { recursive: true, force: true });
  }
}

/** The licence ids runtime dependencies may carry (permissive; Powertools' MIT-0 included). */
export const LICENCE_ALLOW_LIST: readonly string[] = ['Apache-2.0', 'MIT', 'MIT-0', 'ISC', '0BSD', 'BSD-2-Clause', 'BSD-3-Clause'];

/** `name@version (licence)` of each component whose licence is missing or outside the allow-list. */
export function licenceProblems(components: readonly SbomComponent[], allow: readonly string[] = LICENCE_ALLOW_LIST): string[] {
  return components.flatMap((component) => {
    const ids = (component.licenses ?? []).map((entry) => entry.license?.id ?? entry.expression ?? entry.license?.name ?? '');
    const ok = ids.length > 0 && ids.every((id) => allow.includes(id));
    return ok ? [] : [`${component.name}@${component.version} (${ids.join(', ') || 'no licence'})`];
  });
}

/** The registry's deprecation message of `name@version` (`npm view … deprecated`), or undefined. */
export async function deprecationOf(name: string, version: string, registry?: string): Promise<string | undefined> {
  const { stdout } = await run(
    'npm',
    ['view', `${name}@${version}`, 'deprecated', '--json', ...(registry ? ['--registry', registry] : [])],
    {
      timeout: 60_000,
    },
  );
  const text = stdout.trim();
  if (!text) return undefined;
  const parsed = JSON.parse(text) as unknown;
  return typeof parsed === 'string' && parsed !== '' ? parsed : undefined;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { bom, installedBytes } = await runtimeTree();
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  writeFileSync(join(ROOT, 'dist', 'sbom.cdx.json'), `${JSON.stringify(bom, null, 2)}\n`);
  process.stdout.write(
    `dist/sbom.cdx.json: ${bom.components.length} runtime packages, ${(installedBytes / 2 ** 20).toFixed(1)} MiB installed; licences ${[
      ...new Set(bom.components.flatMap((c) => (c.licenses ?? []).map((l) => l.license?.id ?? l.expression ?? '?'))),
    ].join(', ')}\n`,
  );
}
