import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { collected, SCAN_DIR_ENV, STATIC_SECRETS, secretHits } from './secrets.js';

/**
 * Fails the run when a secret the tests use shows up where it must not: in
 * anything the tests printed (console and raw stdout/stderr), in the errors of
 * failed tests, or in text the tests handed over (CLI output, child process
 * logs, dead-letter headers). Prints `secret scan: …` at the end.
 */
export default class SecretScanReporter implements Reporter {
  private dir = '';
  private readonly consoleTexts: Array<{ source: string; text: string }> = [];

  onInit(): void {
    this.dir = mkdtempSync(join(tmpdir(), 'klr-secret-scan-'));
    process.env[SCAN_DIR_ENV] = this.dir; // inherited by global setups and test workers
  }

  onUserConsoleLog(log: { content: string; type: string }): void {
    this.consoleTexts.push({ source: `console ${log.type}`, text: log.content });
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string; stack?: string }>): void {
    const { secrets, texts } = collected(this.dir);
    const errors = [
      ...testModules.flatMap((module) =>
        [...module.children.allTests()].flatMap((test) =>
          (test.result().errors ?? []).map((error) => ({
            source: `error of '${test.fullName}'`,
            text: `${error.message}\n${error.stack ?? ''}`,
          })),
        ),
      ),
      ...unhandledErrors.map((error) => ({ source: 'unhandled error', text: `${error.message ?? ''}\n${error.stack ?? ''}` })),
    ];
    const all = [...this.consoleTexts, ...texts, ...errors];
    const hits = secretHits(all, [...STATIC_SECRETS, ...secrets]);
    const kib = all.reduce((sum, { text }) => sum + text.length, 0) / 1024;
    process.stdout.write(
      `secret scan: ${secrets.length + STATIC_SECRETS.length} secrets in ${kib.toFixed(0)} KiB of output, errors and captured text: ${
        hits.length === 0 ? '0 hits' : `${hits.length} HIT(S)\n  ${hits.join('\n  ')}`
      }\n`,
    );
    if (hits.length > 0) process.exitCode = 1;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
