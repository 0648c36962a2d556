import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { captureForSecretScan } from '../support/secrets.js';

// The newcomer's path, as they meet it: a fresh clone of this repository's HEAD with nothing built, and the
// README's first command typed exactly as the README writes it. CI's own `npm ci` + `npm test` builds dist/
// first and so could never see a first command that only works after the build.

/** The first command of the README: the first line of its first shell block, without its trailing comment. */
function readmeFirstCommand(readme: string): string {
  const block = /^```(?:sh|bash|shell)\n([\s\S]*?)^```/m.exec(readme)?.[1] ?? '';
  const line = block.split('\n').find((text) => text.trim() !== '' && !text.trim().startsWith('#')) ?? '';
  return line.replace(/\s+#.*$/, '').trim();
}

/** The environment of a person at a shell: none of the npm lifecycle variables `npm test` sets, no cluster. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|KAFKA_|VITEST|NODE_OPTIONS$)/i.test(name)) env[name] = value;
  }
  // Offline from the npm cache when it has the packages (CI's own `npm ci` has just filled it).
  return { ...env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
}

function run(command: string, cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd, env: newcomerEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const append = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    // A deadline, not a wait: the command ends on its own long before it in a healthy run.
    const deadline = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      captureForSecretScan(`newcomer: ${command}`, output);
      resolve({ code, output });
    });
  });
}

const clone = mkdtempSync(join(tmpdir(), 'klr-newcomer-'));
// The clone holds a whole node_modules (about 60,000 files): removing it took 15 s on an idle machine and 114 s in a
// CI run under load. rmSync blocks this worker's event loop for all of that, and vitest's worker gives up on its RPC
// to the main process after 60 s ('Timeout calling "onTaskUpdate"'), which aborted the e2e tier. So the removal runs
// in its own process, beside the next test files.
afterAll(() => {
  spawn('rm', ['-rf', clone], { detached: true, stdio: 'ignore' }).unref();
});

describe('a newcomer on a fresh clone', () => {
  it('reads a first command from the README that installs and runs the demo', () => {
    expect(readmeFirstCommand('# x\n\n```sh\n\nnpm install && npm run demo   # the demo\nnpm test\n```\n')).toBe(
      'npm install && npm run demo',
    );
    expect(readmeFirstCommand(readFileSync(join(ROOT, 'README.md'), 'utf8'))).toMatch(/npm run demo/);
  });

  it('runs the README’s first command exactly as written, and the demo reconciles; then serverless invoke local answers', async () => {
    const cloned = await run(`git clone --quiet ${JSON.stringify(ROOT)} .`, clone, 120_000);
    expect(cloned.code, cloned.output).toBe(0);
    const command = readmeFirstCommand(readFileSync(join(clone, 'README.md'), 'utf8'));
    const began = performance.now();
    const first = await run(command, clone, 900_000);
    process.stderr.write(
      `[e2e] newcomer: \`${command}\` on a fresh clone: exit ${first.code} in ${((performance.now() - began) / 1000).toFixed(0)} s\n`,
    );
    expect(first.code, first.output.slice(-4000)).toBe(0);
    expect(first.output).toMatch(/^ {2}✔ reconciled: .*nothing lost$/m);

    // The plugin and the package resolve by name in the clone without another build step.
    const invoked = await run(
      'KAFKA_BROKERS= LOG_LEVEL=warn npx --no-install serverless invoke local -f validateOrders -p events/validate-orders.json',
      clone,
      300_000,
    );
    expect(invoked.code, invoked.output.slice(-4000)).toBe(0);
    const response = JSON.parse(/\{\s*"batchItemFailures"[\s\S]*\}\s*$/.exec(invoked.output)?.[0] ?? 'null');
    expect(response).toEqual({ batchItemFailures: [] });
  }, 1_400_000);
});
