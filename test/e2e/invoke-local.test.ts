import { describe, expect, it } from 'vitest';
import { DRY_RUN_LABEL } from '../../src/runtime/publish/dry-run.js';
import { serverless } from '../support/cli.js';

const invoke = async (fn: string, event: string) => {
  const result = await serverless(['invoke', 'local', '-f', fn, '-p', `events/${event}`], {
    env: { KAFKA_BROKERS: '', LOG_LEVEL: 'warn' },
  });
  expect(result.code, result.stderr).toBe(0);
  const response = JSON.parse(/\{\s*"batchItemFailures"[\s\S]*\}\s*$/.exec(result.stdout)?.[0] ?? 'null');
  const published = result.stdout
    .split('\n')
    .filter((line) => line.startsWith(DRY_RUN_LABEL))
    .map((line) => /(output|dead letter) → (\S+) key=("[^"]*"|null)/.exec(line)?.slice(1, 4).join(' '));
  return { response, published };
};

describe('serverless invoke local (offline, dry-run publisher)', () => {
  it('validateOrders: valid → validated, unknown SKU → rejected, poison pill → DLT, tombstone skipped', async () => {
    const { response, published } = await invoke('validateOrders', 'validate-orders.json');
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published.sort()).toEqual(
      [
        'output orders.validated "cus-2"',
        'output orders.validated "cus-3"',
        'output orders.rejected "cus-4"',
        'dead letter orders.placed.DLT "cus-5"',
      ].sort(),
    );
  });

  it('validateOrders with the self-managed event behaves the same', async () => {
    const { response, published } = await invoke('validateOrders', 'validate-orders.self-managed.json');
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published).toHaveLength(4);
  });

  it('reserveStock: one reservation per validated order, keyed by customer', async () => {
    const { response, published } = await invoke('reserveStock', 'reserve-stock.json');
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published.sort()).toEqual(['cus-2', 'cus-3', 'cus-4', 'cus-6', 'cus-9'].map((c) => `output stock.reserved "${c}"`).sort());
  });

  it('notifyCustomers: each reservation fans out to email and SMS', async () => {
    const { response, published } = await invoke('notifyCustomers', 'notify-customers.json');
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published.filter((p) => p?.includes('notifications.email'))).toHaveLength(3);
    expect(published.filter((p) => p?.includes('notifications.sms'))).toHaveLength(3);
  });

  it('recordPayments: Avro payloads (as the ESM hands them over with a registry) → payments.recorded; the truncated one → DLT', async () => {
    const { response, published } = await invoke('recordPayments', 'record-payments.json');
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published.sort()).toEqual(
      ['output payments.recorded "cus-2"', 'output payments.recorded "cus-3"', 'dead letter payments.avro.DLT "cus-4"'].sort(),
    );
  });
});
