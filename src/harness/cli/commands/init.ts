import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandRegistration } from '../command.js';
import { CliError } from '../errors.js';
import { createOutput } from '../output.js';

// templates/service/ sits four folders up from this module, in src/ and in dist/ alike.
const TEMPLATE = fileURLToPath(new URL('../../../../templates/service/', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../../../package.json', import.meta.url));

/** npm drops `.gitignore` from packages, so the template stores it without the dot. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

interface InitOptions {
  readonly name?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

/** `init [dir]`: a new service with one route, its test, serverless.yml with the plugin, and npm scripts. */
export const registerInit: CommandRegistration = (program) => {
  program
    .command('init')
    .description('create a new service: serverless.yml with the plugin, a route, its test, npm scripts')
    .argument('[dir]', 'folder to create it in', '.')
    .option('--name <service>', 'service name (default: the folder name)')
    .option('--force', 'write into a folder that already has a package.json or serverless.yml')
    .option('--json', 'print {"dir","files"} as JSON')
    .addHelpText('after', '\nThen: cd <dir> && npm install && npm test')
    .action((dir: string, options: InitOptions) => init(dir, options));
};

function init(dir: string, options: InitOptions): void {
  const out = createOutput({ json: options.json === true, prefix: 'init' });
  const target = resolve(dir);
  const name = options.name ?? basename(target);
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,127}$/.test(name)) {
    throw new CliError('USAGE', `'${name}' is not a valid service name (a letter, then letters, digits or dashes): pass --name`);
  }
  const clashes = ['package.json', 'serverless.yml'].filter((file) => existsSync(join(target, file)));
  if (clashes.length > 0 && !options.force) {
    throw new CliError('USAGE', `${target} already has ${clashes.join(' and ')}: choose an empty folder, or pass --force to overwrite`);
  }
  const files: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(join(target, file, '..'), { recursive: true });
    writeFileSync(join(target, file), text);
    files.push(file);
  };
  for (const entry of readdirSync(TEMPLATE, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const file = join(relative(TEMPLATE, entry.parentPath), RENAMED[entry.name] ?? entry.name);
    write(file, readFileSync(source, 'utf8').replaceAll('__SERVICE_NAME__', name));
  }
  write('package.json', `${JSON.stringify(servicePackageJson(name), null, 2)}\n`);

  out.result({ dir: target, files: files.sort() });
  out.info(`Created ${name} in ${target}:`);
  for (const file of files.sort()) out.info(`  ${file}`);
  out.info('');
  out.info('Next:');
  if (target !== process.cwd()) out.info(`  cd ${relative(process.cwd(), target) || '.'}`);
  out.info('  npm install');
  out.info('  npm test                         # typecheck and the tests, with the in-memory test broker');
  out.info('  npx kafka-lambda-router dev      # the function against a local Kafka');
}

/** The new service's package.json: this package, and the tool versions it is tested with. */
function servicePackageJson(name: string): object {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { version: string; devDependencies?: Record<string, string> };
  const tested = (pkg: string) => {
    const version = manifest.devDependencies?.[pkg];
    if (!version) throw new CliError('CONFIG', `kafka-lambda-router's package.json names no tested version of ${pkg}`);
    return version;
  };
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      test: 'tsc --noEmit && vitest run',
      dev: 'kafka-lambda-router dev',
      events: 'kafka-lambda-router events',
      invoke: 'serverless invoke local -f acceptOrders --path events/accept-orders.json',
      package: 'serverless package',
    },
    dependencies: { 'kafka-lambda-router': `^${manifest.version}`, zod: tested('zod') },
    devDependencies: Object.fromEntries(
      ['@types/node', 'esbuild', 'osls', 'serverless-esbuild', 'typescript', 'vitest'].map((pkg) => [pkg, tested(pkg)]),
    ),
  };
}
