import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../../support/processes.js';
import { CLI_BIN, type Spawned, spawnCollecting, waitFor } from '../../../support/run-cli.js';

// Every long-running command stops its broker, its consumers and its children on SIGINT, SIGTERM and SIGHUP.
// `npm run kafka` gets the signal through npm, which forwards only SIGINT and SIGTERM (the script execs node,
// and the CLI notices when npm itself is gone); `dev` and `demo` run as the installed bin does. Each starts its
// own broker (KAFKA_BROKERS unset), so its JVM, guardian and data directory must all be gone afterwards.
// The three signals of a command run side by side (separate processes, brokers and state folders); the
// commands one after the other, so at most three brokers start at once.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const pids = (args: string[]): number[] => {
  try {
    return execFileSync('pgrep', args, { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};
const alive = isAlive;

/** The broker the CLI process started: its guardian (the process-group leader of the JVM) and data directory. */
async function brokerOf(cliPid: number): Promise<{ guardian: number; dataDir: string; group: number[] }> {
  let guardian: number | undefined;
  await waitFor(
    () => {
      guardian = pids(['-P', String(cliPid), '-f', 'kafka-guardian'])[0];
      return guardian !== undefined;
    },
    10_000,
    `the broker guardian of pid ${cliPid}`,
  );
  const pid = guardian as number;
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const dataDir = args[args.indexOf('kafka-guardian') + 1] ?? '';
  return { guardian: pid, dataDir, group: pids(['-g', String(pid)]) };
}

async function expectAllGone(run: Spawned, cliPid: number, broker: { guardian: number; dataDir: string; group: number[] }) {
  const exit = await Promise.race([run.exited, new Promise((resolve) => setTimeout(resolve, 60_000, 'still running'))]);
  expect(exit, run.output()).not.toBe('still running');
  await waitFor(() => pids(['-g', String(broker.guardian)]).length === 0, 30_000, 'the broker process group to exit');
  expect(broker.group.filter(alive)).toEqual([]);
  expect(alive(cliPid)).toBe(false);
  await waitFor(() => !existsSync(broker.dataDir), 5_000, `${broker.dataDir} to be removed`);
  return exit as { code: number | null; signal: NodeJS.Signals | null };
}

describe('npm run kafka stops everything on SIGINT, SIGTERM and SIGHUP', () => {
  it.concurrent.each(SIGNALS)(
    '%s sent to npm',
    async (signal) => {
      const state = mkdtempSync(join(tmpdir(), 'klr-state-'));
      const run = spawnCollecting('npm', ['run', 'kafka'], { env: { KAFKA_LAMBDA_ROUTER_STATE_DIR: state } });
      try {
        await waitFor(() => run.output().includes('Ctrl-C stops it'), 90_000, 'the broker to be ready');
        const cliPid = (JSON.parse(readFileSync(join(state, 'running-broker.json'), 'utf8')) as { pid: number }).pid;
        const broker = await brokerOf(cliPid);
        expect(broker.group.length).toBeGreaterThan(1);

        run.child.kill(signal);
        await expectAllGone(run, cliPid, broker);
        // npm forwards SIGINT and SIGTERM; on SIGHUP npm dies and the CLI sees its parent go.
        expect(run.output()).toContain(signal === 'SIGHUP' ? 'stopping (parent exited)' : `stopping (${signal})`);
        expect(run.output()).toContain('kafka: stopped');
        expect(existsSync(join(state, 'running-broker.json'))).toBe(false);
      } finally {
        run.child.kill('SIGKILL');
      }
    },
    150_000,
  );
});

describe('kafka-lambda-router dev stops everything on SIGINT, SIGTERM and SIGHUP', () => {
  it.concurrent.each(SIGNALS)(
    '%s',
    async (signal) => {
      const state = mkdtempSync(join(tmpdir(), 'klr-state-'));
      const run = spawnCollecting(process.execPath, [CLI_BIN, 'dev', '--json', '--no-watch'], {
        env: { KAFKA_BROKERS: '', LOG_LEVEL: 'silent', KAFKA_LAMBDA_ROUTER_STATE_DIR: state },
      });
      const cliPid = run.child.pid as number;
      try {
        await waitFor(() => run.stdout().includes('"event":"ready"'), 120_000, 'dev to be ready');
        const broker = await brokerOf(cliPid);

        run.child.kill(signal);
        const exit = await expectAllGone(run, cliPid, broker);
        expect(exit.code, run.output()).toBe(0);
        expect(run.output()).toContain(`dev: stopping (${signal})`);
        expect(run.stdout()).toContain('{"event":"stopped"}');
        expect(existsSync(join(state, 'running-broker.json'))).toBe(false);
      } finally {
        run.child.kill('SIGKILL');
      }
    },
    150_000,
  );
});

describe('kafka-lambda-router demo stops everything on SIGINT, SIGTERM and SIGHUP', () => {
  it.concurrent.each(SIGNALS)(
    '%s while records are in flight',
    async (signal) => {
      const run = spawnCollecting(process.execPath, [CLI_BIN, 'demo', '--count', '20000'], {
        env: { KAFKA_BROKERS: '', LOG_LEVEL: 'silent' },
      });
      const cliPid = run.child.pid as number;
      try {
        await waitFor(() => run.output().includes('waiting for the pipeline to drain'), 120_000, 'the demo to be under way');
        const broker = await brokerOf(cliPid);

        run.child.kill(signal);
        const exit = await expectAllGone(run, cliPid, broker);
        // Stopped before it drained: the demo did not do its job, so it says so and exits 1.
        expect(exit.code, run.output()).toBe(1);
        expect(run.output()).toContain(`error: demo stopped (${signal}) before the pipeline drained`);
      } finally {
        run.child.kill('SIGKILL');
      }
    },
    150_000,
  );
});
