import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InvariantError } from '../../src/runtime/errors/index.js';

/**
 * Creates a venv with the pinned requirements once (idempotent: a marker holds
 * the requirements it was made from; a change reinstalls) and returns its python.
 */
export function ensureVenv(venv: string, requirementsFile: string): string {
  const requirements = readFileSync(requirementsFile, 'utf8');
  const marker = `${venv}/.ready`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === requirements) return `${venv}/bin/python`;
  for (const [command, ...args] of [
    ['python3', '-m', 'venv', venv],
    [`${venv}/bin/pip`, 'install', '-q', '--disable-pip-version-check', '-r', requirementsFile],
  ] as const) {
    const step = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (step.status !== 0) throw new InvariantError(`test setup: ${command} ${args.join(' ')} failed: ${step.stderr.slice(-2000)}`);
  }
  writeFileSync(marker, requirements);
  return `${venv}/bin/python`;
}
