import { mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../support/cli.js';
import { runBuiltCli, spawnCollecting, waitFor } from '../../../support/run-cli.js';

// `npm run dev` and `npm run produce` (the CLI from src/, as this repository runs it), found by each other
// through the per-user state folder.
const npmScript = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
  spawnCollecting('npm', ['run', '--silent', script, '--', ...args], { env });

describe('npm run dev and npm run produce', () => {
  it('runs the app against its own broker, processes a produced order (its spans printed), reloads on change, and stops cleanly on SIGINT', async () => {
    const env = { KAFKA_BROKERS: '', LOG_LEVEL: 'silent', KAFKA_LAMBDA_ROUTER_STATE_DIR: mkdtempSync(join(tmpdir(), 'klr-state-')) };
    // Its own broker (KAFKA_BROKERS unset): dev's consumer groups read the app's topics from the beginning.
    // --traces console: the functions' spans print as they end.
    const dev = npmScript('dev', ['--watch', 'functions/handlers', '--traces', 'console'], env);
    try {
      await waitFor(() => dev.output().includes('dev: ready'), 90_000, 'dev to be ready');
      const brokers = /Apache Kafka ready on (\S+)/.exec(dev.output())?.[1] ?? '';
      const order = JSON.stringify({
        orderId: 'o-cli',
        customerId: 'c-9',
        currency: 'EUR',
        lines: [{ sku: 'SKU-MUG', quantity: 1 }],
        placedAt: '2026-11-24T00:00:00Z',
      });
      // No KAFKA_BROKERS: produce finds the dev broker through the state dev wrote.
      const produce = npmScript('produce', ['orders.placed', order, '--key', 'c-9'], env);
      expect((await produce.exited).code, produce.output()).toBe(0);
      expect(produce.output()).toContain('produced 1 message(s) to orders.placed');
      expect(produce.output()).toContain(brokers);
      await waitFor(() => /notifyCustomers\s+invocations [1-9]/.test(dev.output()), 30_000, 'the order to reach notifyCustomers');
      expect(dev.output()).toMatch(/validateOrders\s+invocations [1-9]\d*\s+records 1\s+failed 0/);
      for (const route of ['validate-order', 'reserve-stock', 'notify-customer'])
        expect(dev.output()).toContain(`'kafka_lambda_router.route': '${route}'`);
      expect(dev.output()).toContain("'messaging.destination.name': 'orders.placed'");
      expect(dev.output()).toContain("'kafka_lambda_router.outcome': 'handled'");

      // A change under a watched folder re-imports every function in place (touching the file is enough).
      const handler = join(ROOT, 'functions/handlers/notify-customer.ts');
      utimesSync(handler, new Date(), new Date());
      await waitFor(
        () => dev.output().includes('dev: reloaded after a change to functions/handlers/notify-customer.ts'),
        30_000,
        'a reload',
      );
    } finally {
      dev.child.kill('SIGINT');
    }
    expect((await dev.exited).code).toBe(0);
    expect(dev.output()).toContain('dev: stopped');
    // dev is gone: produce no longer finds a broker, and says how to get one.
    const after = await runBuiltCli(['produce', 'orders.placed', '{}'], { env });
    expect(after.code).toBe(1);
    expect(after.output).toContain('No Kafka to produce to');
  });
});
