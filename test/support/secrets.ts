import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_SESSION_TOKEN } from './aws-stand-in.js';
import { findSecrets, type TestSecret } from './secret-scan.js';

/** Where this test run collects output and secrets for the scan (set by the secret-scan reporter). */
export const SCAN_DIR_ENV = 'KLR_SECRET_SCAN_DIR';

/**
 * Secrets the tests use with fixed values: credentials handed to clients and
 * stand-ins, and secret-looking record values. None may appear in what the
 * tests print, in error messages, dead-letter headers or CLI output.
 */
export const STATIC_SECRETS: readonly TestSecret[] = [
  { label: 'SCRAM password of the TLS hostname tests', value: 'never-sent-to-the-wrong-host-42', fragments: false },
  { label: 'AWS secret access key of the AWS stand-in', value: 'test-secret-access-key', fragments: false },
  { label: 'AWS session token of the AWS stand-in (signs MSK IAM tokens)', value: TEST_SESSION_TOKEN },
  { label: 'card number in record values (decode and fuzz tests)', value: '4111111111111111', fragments: false },
];

/** Registers a secret made at run time (a random SCRAM password, a poison token) for the end-of-run scan. */
export function registerTestSecret(label: string, value: string): void {
  const dir = process.env[SCAN_DIR_ENV];
  if (dir) appendFileSync(join(dir, 'secrets.jsonl'), `${JSON.stringify({ label, value })}\n`);
}

/** Hands text the test did not print (a child's output, dead-letter headers) to the end-of-run scan. */
export function captureForSecretScan(source: string, text: string): void {
  const dir = process.env[SCAN_DIR_ENV];
  if (dir && text) appendFileSync(join(dir, `captured-${process.pid}.log`), `\n--- ${source}\n${text}`);
}

/** Reads what a run collected in `dir`: registered secrets and captured texts, by file. */
export function collected(dir: string): { secrets: TestSecret[]; texts: Array<{ source: string; text: string }> } {
  if (!existsSync(dir)) return { secrets: [], texts: [] };
  const secrets: TestSecret[] = [];
  const texts: Array<{ source: string; text: string }> = [];
  for (const file of readdirSync(dir)) {
    const content = readFileSync(join(dir, file), 'utf8');
    if (file === 'secrets.jsonl') {
      for (const line of content.split('\n')) if (line) secrets.push(JSON.parse(line) as TestSecret);
    } else texts.push({ source: file, text: content });
  }
  return { secrets, texts };
}

/** `label in source` for every secret found in any of `texts`. */
export function secretHits(texts: ReadonlyArray<{ source: string; text: string }>, secrets: readonly TestSecret[]): string[] {
  return texts.flatMap(({ source, text }) => findSecrets(text, secrets).map((label) => `${label} in ${source}`));
}
