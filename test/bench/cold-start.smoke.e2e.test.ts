import { describe, expect, it } from 'vitest';
import { benchColdStart } from '../../bench/cold-start.js';

// A smoke of the benchmark (it runs `serverless package`, hence the e2e project); times are not asserted.
describe('bench: cold start (smoke)', () => {
  it('imports every packaged function, kafkajs alone and the naive bundle from folders without node_modules', async () => {
    const { markdown, ratios } = await benchColdStart({ smoke: true });
    expect(Object.keys(ratios)).toEqual(['validateOrders', 'reserveStock', 'notifyCustomers', 'recordPayments']);
    expect(markdown).toMatch(/naive: kafkajs \+ client-kafka/);
  });
});
