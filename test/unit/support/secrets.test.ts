import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureForSecretScan, collected, registerTestSecret, SCAN_DIR_ENV, secretHits } from '../../support/secrets.js';

const saved = process.env[SCAN_DIR_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[SCAN_DIR_ENV];
  else process.env[SCAN_DIR_ENV] = saved;
});

describe('the end-of-run secret scan', () => {
  it('finds a registered secret in captured text, by label and source only', () => {
    process.env[SCAN_DIR_ENV] = mkdtempSync(join(tmpdir(), 'scan-'));
    const password = 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b';
    registerTestSecret('SCRAM password', password);
    captureForSecretScan('clean CLI run', 'Packaging service...\nDone');
    captureForSecretScan('leaky CLI run', `auth failed for router:${password}`);
    const { secrets, texts } = collected(process.env[SCAN_DIR_ENV] as string);
    const hits = secretHits(texts, secrets);
    expect(hits).toEqual([expect.stringMatching(/^SCRAM password in captured-\d+\.log$/)]);
    expect(hits.join('')).not.toContain(password);
  });

  it("ignores readable secrets' fragments but not random tokens' fragments", () => {
    const texts = [{ source: 'log', text: 'test-section started; token 9f8e7d6c5b… truncated' }];
    expect(secretHits(texts, [{ label: 'key', value: 'test-secret-access-key', fragments: false }])).toEqual([]);
    expect(secretHits(texts, [{ label: 'token', value: '9f8e7d6c5b4a39281706f5e4d3c2b1a0' }])).toEqual(['token (fragment) in log']);
  });
});
