import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../support/cli.js';

const tsx = (script: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const collect = (child: ChildProcess) => {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return () => text;
};

const waitFor = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('npm run dev and npm run produce', () => {
  it('runs the app against its own broker, processes a produced order, and stops cleanly on SIGINT', async () => {
    // Its own broker (KAFKA_BROKERS unset): dev's consumer groups read the app's topics from the beginning.
    const dev = tsx('src/harness/local/cli/dev.ts', [], { KAFKA_BROKERS: '', LOG_LEVEL: 'silent' });
    const output = collect(dev);
    try {
      await waitFor(() => output().includes('dev: ready'), 90_000);
      const brokers = /Apache Kafka ready on (\S+)/.exec(output())?.[1] ?? '';
      const order = JSON.stringify({
        orderId: 'o-cli',
        customerId: 'c-9',
        currency: 'EUR',
        lines: [{ sku: 'SKU-MUG', quantity: 1 }],
        placedAt: '2026-11-24T00:00:00Z',
      });
      // No KAFKA_BROKERS: produce finds the dev broker through the state file dev wrote.
      const produced = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'src/harness/local/cli/produce.ts', 'orders.placed', order, '--key', 'c-9'],
        {
          cwd: ROOT,
          env: { ...process.env, KAFKA_BROKERS: '' },
          encoding: 'utf8',
        },
      );
      expect(produced).toContain(`produced 1 message(s) to orders.placed`);
      expect(produced).toContain(brokers);
      await waitFor(() => /notifyCustomers\s+invocations [1-9]/.test(output()), 30_000);
      expect(output()).toMatch(/validateOrders\s+invocations [1-9]\d*\s+records 1\s+failed 0/);
    } finally {
      dev.kill('SIGINT');
      await new Promise((resolve) => dev.once('exit', resolve));
    }
    expect(dev.exitCode).toBe(0);
    expect(output()).toContain('dev: stopped');
  });
});
