import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { placedOrder } from '../../../../functions/samples.js';
import { runBuiltCli } from '../../../support/run-cli.js';

// The generic demo, run by the built CLI against this repository's serverless.yml on its own broker.
describe('kafka-lambda-router demo', () => {
  it('sends samples into the topic that starts the pipeline and waits until every consumer group has caught up', async () => {
    // Two valid orders from a samples file, cycled to 10 records: every function of the pipeline runs.
    const samples = join(mkdtempSync(join(tmpdir(), 'klr-demo-')), 'samples.json');
    writeFileSync(samples, JSON.stringify({ 'orders.placed': [placedOrder(1), placedOrder(2)] }));
    const { code, stdout, output } = await runBuiltCli(['demo', '--count', '10', '--samples', samples, '--json'], {
      env: { KAFKA_BROKERS: '', LOG_LEVEL: 'silent' },
    });
    expect(code, output).toBe(0);
    const summary = JSON.parse(stdout) as {
      drained: boolean;
      entryTopics: Array<{ topic: string; origin: string; records: number }>;
      topics: Record<string, number>;
      functions: Record<string, { records: number; failed: number }>;
      routes: Record<string, Record<string, number>>;
    };
    expect(summary.drained).toBe(true);
    // The topics no function publishes to: orders.placed, and payments.avro, which its mapping reads through a
    // schema registry, so its samples (from the route's schema) are Avro framed through the local registry.
    expect(summary.entryTopics).toEqual(
      expect.arrayContaining([
        { topic: 'orders.placed', route: 'validate-order', origin: 'samples', records: 10 },
        { topic: 'payments.avro', route: 'record-payment', origin: 'schema', format: 'AVRO', problem: undefined, records: 10 },
      ]),
    );
    expect(summary.entryTopics).toHaveLength(2);
    expect(summary.topics).toMatchObject({
      'orders.placed': 10,
      'orders.validated': 10,
      'stock.reserved': 10,
      'notifications.email': 10,
      'notifications.sms': 10,
      'orders.placed.DLT': 0,
      'payments.avro': 10,
      'payments.recorded': 10,
      'payments.avro.DLT': 0,
    });
    expect(summary.functions.recordPayments).toMatchObject({ records: 10, failed: 0 });
    expect(summary.functions.notifyCustomers).toMatchObject({ records: 10, failed: 0 });
    // The per-route summary: the figures the EMF route metrics carry, added up over the run.
    expect(summary.routes['validate-order']).toEqual({
      RecordsIn: 10,
      RecordsHandled: 10,
      RecordsDeadLettered: 0,
      RecordsFailed: 0,
      RecordsSkipped: 0,
      OutputsPublished: 10,
    });
    expect(summary.routes['notify-customer']).toMatchObject({ RecordsIn: 10, RecordsHandled: 10, OutputsPublished: 20 });
    expect(output).toContain('✔ drained: every consumer group caught up with its topic');
  }, 150_000);
});
