import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './cli.js';

/**
 * Debian's Chromium for browser tests: `CHROMIUM_PATH`, else /usr/bin/chromium,
 * installed by scripts/ensure-chromium.sh when missing (CI starts clean and runs as root).
 */
export async function ensureChromium(): Promise<string> {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return path;
  try {
    await promisify(execFile)('bash', [join(ROOT, 'scripts/ensure-chromium.sh')], { timeout: 600_000 });
  } catch (error) {
    assert.fail(
      `This test needs Chromium: apt-get install -y chromium (as root), or set CHROMIUM_PATH. ${(error as { stderr?: string }).stderr ?? ''}`,
    );
  }
  assert.ok(existsSync(path), `scripts/ensure-chromium.sh ran, but ${path} is still missing`);
  return path;
}
