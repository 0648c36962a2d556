import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { runCollecting } from '../../src/harness/local/broker/run-collecting.js';
import { InvariantError } from '../../src/runtime/errors/index.js';

/**
 * Creates a venv with the pinned requirements once (idempotent: a marker holds
 * the requirements it was made from; a change reinstalls) and returns its python.
 * Asynchronous on purpose: a pip install takes a minute or more on a busy machine, and a test worker whose event
 * loop is blocked that long misses its own RPC deadline with vitest ("Timeout calling onTaskUpdate").
 */
export async function ensureVenv(venv: string, requirementsFile: string): Promise<string> {
  const requirements = readFileSync(requirementsFile, 'utf8');
  const marker = `${venv}/.ready`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === requirements) return `${venv}/bin/python`;
  for (const [command, ...args] of [
    ['python3', '-m', 'venv', venv],
    [`${venv}/bin/pip`, 'install', '-q', '--disable-pip-version-check', '-r', requirementsFile],
  ] as const) {
    const step = await runCollecting(command, [...args]);
    if (step.code !== 0) throw new InvariantError(`test setup: ${command} ${args.join(' ')} failed: ${step.output.slice(-2000)}`);
  }
  writeFileSync(marker, requirements);
  return `${venv}/bin/python`;
}
