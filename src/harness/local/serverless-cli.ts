import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** What a `serverless` CLI run printed and how it ended. */
export interface ServerlessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The `serverless` (osls) CLI a service uses: the one installed in the service (so its version and plugins
 * resolve as on deploy), else the one next to this package. Undefined when neither exists.
 */
export function serverlessBin(serviceDir: string): string | undefined {
  for (const from of [join(serviceDir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve('osls/bin/serverless.js');
    } catch {
      // Not installed there: try the next place.
    }
  }
  return undefined;
}

/**
 * Runs the `serverless` (osls) CLI offline in `cwd` (default: the working directory): AWS credentials are
 * removed from its environment, so nothing it does can reach AWS.
 */
export function runServerless(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ServerlessRun> {
  const cwd = options.cwd ?? process.cwd();
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[key];
  const bin = serverlessBin(cwd);
  if (!bin) {
    return Promise.resolve({
      code: 127,
      stdout: '',
      stderr: `The serverless CLI (osls) is not installed in ${cwd}: npm install --save-dev osls`,
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
