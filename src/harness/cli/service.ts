import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ServiceSelection } from '../local/emulator/serverless-config.js';
import { CliError } from './errors.js';

/** The names osls looks for, in its order. */
const DEFAULT_CONFIGS = [
  'serverless.yml',
  'serverless.yaml',
  'serverless.json',
  'serverless.js',
  'serverless.cjs',
  'serverless.mjs',
  'serverless.ts',
];

/** The user's service: its folder and its serverless config file. */
export interface ServiceLocation extends ServiceSelection {
  readonly cwd: string;
  /** The config file's full path. */
  readonly file: string;
}

/**
 * Finds the service the command works on: `--config <file>` when given, else the nearest serverless.yml
 * (or .yaml, .json, .js, .ts) in the working directory or its parents, so commands run from any subfolder.
 */
export function locateService(options: { config?: string; stage?: string }, cwd: string = process.cwd()): ServiceLocation {
  const stage = options.stage ? { stage: options.stage } : {};
  if (options.config) {
    const file = resolve(cwd, options.config);
    if (!existsSync(file) || !statSync(file).isFile()) throw new CliError('USAGE', `--config ${options.config}: no such file (${file})`);
    const name = basename(file);
    return { cwd: dirname(file), file, ...(DEFAULT_CONFIGS.includes(name) ? {} : { config: name }), ...stage };
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const name = DEFAULT_CONFIGS.find((candidate) => existsSync(join(dir, candidate)));
    if (name) return { cwd: dir, file: join(dir, name), ...stage };
    if (dirname(dir) === dir) break;
  }
  throw new CliError(
    'CONFIG',
    `No serverless.yml in ${cwd} or its parents: run this in your service's folder, pass --config <file>, or create a service with \`kafka-lambda-router init\``,
  );
}
