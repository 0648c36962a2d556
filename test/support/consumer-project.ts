import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ROOT } from './cli.js';

/** What `npm pack --json` reports about the tarball. */
export interface PackedTarball {
  readonly file: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly string[];
}

/**
 * Packs this repository as npm publishes it into a temporary folder. `--ignore-scripts`: dist/ is already fresh
 * (the e2e global setup builds it), and a prepack rebuild would delete it under tests running beside this one.
 */
export function packTarball(): PackedTarball {
  const destination = mkdtempSync(join(tmpdir(), 'klr-pack-'));
  const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [report] = JSON.parse(output.slice(output.indexOf('['))) as Array<{
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
    files: Array<{ path: string }>;
  }>;
  if (!report) throw new Error(`npm pack printed no report: ${output}`);
  return {
    file: join(destination, report.filename),
    size: report.size,
    unpackedSize: report.unpackedSize,
    entryCount: report.entryCount,
    files: report.files.map((f) => f.path),
  };
}

type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; bin?: string | Record<string, string> };
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/**
 * Installs the tarball into `project` without the network, the way npm lays a project out: the package
 * unpacked into node_modules/kafka-lambda-router, and every dependency it declares and every dependency the
 * project declares linked from this repository's node_modules (the versions its lockfile installed), with
 * their bins in node_modules/.bin. Only declared names are linked, so an undeclared import fails as it would
 * for a user.
 */
export function installTarball(project: string, tarball: string): void {
  const modules = join(project, 'node_modules');
  const target = join(modules, 'kafka-lambda-router');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  const own = manifest(target);
  const wanted = new Set(
    [own.dependencies, manifest(project).dependencies, manifest(project).devDependencies].flatMap((deps) => Object.keys(deps ?? {})),
  );
  wanted.delete('kafka-lambda-router');
  const bins: Array<[string, string]> = [];
  const binsOf = (pkg: string, dir: string) => {
    const bin = manifest(dir).bin;
    const entries: Array<[string, string]> = typeof bin === 'string' ? [[pkg.split('/').pop() ?? pkg, bin]] : Object.entries(bin ?? {});
    for (const [name, file] of entries) bins.push([name, join(dir, file)]);
  };
  for (const name of wanted) {
    const source = join(ROOT, 'node_modules', name);
    if (!existsSync(source)) throw new Error(`${name} is not installed in this repository (npm ci first)`);
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(source, join(modules, name), 'dir');
    binsOf(name, source);
  }
  binsOf('kafka-lambda-router', target);
  mkdirSync(join(modules, '.bin'), { recursive: true });
  // npm marks a package's bin files executable when it installs them.
  for (const [, file] of bins) if (file.startsWith(target)) chmodSync(file, 0o755);
  for (const [name, file] of bins) {
    symlinkSync(relative(join(modules, '.bin'), file), join(modules, '.bin', name));
  }
}

/** A copy of a fixture project in a fresh temporary folder outside the repository. */
export function copyFixture(fixture: string): string {
  const project = join(mkdtempSync(join(tmpdir(), 'klr-consumer-')), 'project');
  cpSync(fixture, project, { recursive: true });
  return project;
}
