import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { idempotent } from '../../../../src/runtime/router/idempotency.js';
import { fromStorable, toStorable } from '../../../../src/runtime/router/storable.js';
import { ROOT } from '../../../support/cli.js';

/** Module URLs a fresh Node process resolves while running `script` (ESM, cwd = repository root). */
function importedBy(script: string): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'imports-')), 'log');
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/record-imports.mjs', '--input-type=module', '-e', script],
    { cwd: ROOT, env: { ...process.env, IMPORT_LOG: log }, encoding: 'utf8' },
  );
  expect(result.stderr).toBe('');
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('idempotent()', () => {
  it('does not load Powertools until a record is handled (cold start unchanged), and names no optional dependency itself', () => {
    const setup = `const { idempotent } = await import('./src/runtime/index.ts');
      const handle = idempotent(() => 1, { name: 'x', powertools: () => import('@aws-lambda-powertools/idempotency'), persistenceStore: () => { throw new Error('no store here'); } });`;
    const powertools = (urls: string[]) => urls.filter((url) => url.includes('@aws-lambda-powertools/idempotency'));
    expect(powertools(importedBy(setup))).toEqual([]);
    // Handling a record does load it (so the check above can fail).
    const handled = importedBy(`${setup}
      await handle(1, { record: { topic: 't', partition: 0, offset: 0 }, headers: { get: () => undefined }, remainingTimeMs: () => 1e9 }).catch(() => undefined);`);
    expect(powertools(handled).length).toBeGreaterThan(0);
  });

  it('needs a name for its keys', () => {
    const unused = () => Promise.reject(new Error('unused'));
    expect(() => idempotent(() => undefined, { name: ' ', powertools: unused, persistenceStore: unused })).toThrow(ConfigError);
  });
});

it('rejects a powertools loader that does not give the library', async () => {
  const handle = idempotent(() => 1, {
    name: 'x',
    powertools: async () => ({}),
    persistenceStore: async () => ({}) as never,
  });
  const ctx = { record: { topic: 't', partition: 0, offset: 0 }, headers: { get: () => undefined }, remainingTimeMs: () => 1e9 };
  await expect(handle(1, ctx as never)).rejects.toThrow(/options.powertools must load/);
});

describe('storable outputs', () => {
  it('keeps Buffers (top level and nested) through a JSON round trip, and plain data as is', () => {
    const value = { id: 'a', bytes: Buffer.from([0, 255]), list: [Buffer.from('x'), 1, null], nested: { when: '2026-01-01' } };
    const back = fromStorable(JSON.parse(JSON.stringify(toStorable(value))));
    expect(back).toEqual(value);
    expect(fromStorable(JSON.parse(JSON.stringify(toStorable(Buffer.from('raw')))))).toEqual(Buffer.from('raw'));
    expect(fromStorable(JSON.parse(JSON.stringify(toStorable('text'))))).toBe('text');
  });
});
