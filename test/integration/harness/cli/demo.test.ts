import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { placedOrder } from '../../../../functions/samples.js';
import { startOtlpCollector } from '../../../support/otlp-collector.js';
import { runBuiltCli } from '../../../support/run-cli.js';

// The generic demo, run by the built CLI against this repository's serverless.yml on its own broker, exporting
// its functions' spans over OTLP/HTTP to a stand-in collector on 127.0.0.1.
describe('kafka-lambda-router demo', () => {
  it('sends samples into the topic that starts the pipeline, waits until every consumer group has caught up, and exports the spans over OTLP', async () => {
    const collector = await startOtlpCollector();
    // Two valid orders from a samples file, cycled to 10 records: every function of the pipeline runs.
    const samples = join(mkdtempSync(join(tmpdir(), 'klr-demo-')), 'samples.json');
    writeFileSync(samples, JSON.stringify({ 'orders.placed': [placedOrder(1), placedOrder(2)] }));
    const { code, stdout, output } = await runBuiltCli(
      ['demo', '--count', '10', '--samples', samples, '--json', '--traces', `otlp=${collector.url}`],
      { env: { KAFKA_BROKERS: '', LOG_LEVEL: 'silent' } },
    ).finally(() => collector.close());
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

    // --traces otlp=<base url>: OTLP/HTTP JSON posted to <base>/v1/traces, flushed before demo exits.
    expect(collector.requests.every((request) => request.path === '/v1/traces' && request.contentType === 'application/json')).toBe(true);
    const recordSpans = (route: string) => collector.spans.filter((span) => span.attributes['kafka_lambda_router.route'] === route);
    expect(recordSpans('validate-order')).toHaveLength(10);
    expect(recordSpans('validate-order')[0]?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'orders.placed',
      'kafka_lambda_router.outcome': 'handled',
    });
    expect(recordSpans('notify-customer')).toHaveLength(10);
    // Each order's spans, three functions apart, are one trace.
    const notifyTraces = new Set(recordSpans('notify-customer').map((span) => span.traceId));
    expect(recordSpans('validate-order').filter((span) => notifyTraces.has(span.traceId))).toHaveLength(10);
    expect(collector.spans.some((span) => span.name.startsWith('send ') && span.attributes['messaging.operation.type'] === 'send')).toBe(
      true,
    );
  }, 150_000);

  it("--traces console prints every function's spans as they end", async () => {
    const samples = join(mkdtempSync(join(tmpdir(), 'klr-demo-')), 'samples.json');
    writeFileSync(samples, JSON.stringify({ 'orders.placed': [placedOrder(1)] }));
    const { code, output } = await runBuiltCli(['demo', '--count', '1', '--samples', samples, '--traces', 'console'], {
      env: { KAFKA_BROKERS: '', LOG_LEVEL: 'silent' },
    });
    expect(code, output).toBe(0);
    for (const route of ['validate-order', 'reserve-stock', 'notify-customer', 'record-payment'])
      expect(output).toContain(`'kafka_lambda_router.route': '${route}'`);
    expect(output).toContain("'messaging.destination.name': 'orders.placed'");
    expect(output).toContain('✔ drained: every consumer group caught up with its topic');
  }, 150_000);
});
