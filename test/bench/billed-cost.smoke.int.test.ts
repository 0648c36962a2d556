import { describe, expect, it } from 'vitest';
import { benchBilledCost } from '../../bench/billed-cost.js';
import { setEnv } from '../support/env.js';
import { testKafka } from '../support/kafka.js';

// A smoke of the billed-cost bench on the shared broker, so it keeps working; timings are not asserted.
describe('bench: billed cost (smoke)', () => {
  it('runs ours (both lineage modes), the hand handlers, Powertools and the naive handler through the broker and prices them', async () => {
    const restore = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(',') });
    try {
      const { markdown, ratios } = await benchBilledCost({ smoke: true });
      for (const ratio of Object.values(ratios)) expect(ratio).toBeGreaterThan(0);
      for (const variant of ['(a) ours', '(a, no send) ours', '(a′) ours', '(b) hand', '(b′) hand', '(c) Powertools', '(d) naive'])
        expect(markdown).toContain(`| ${variant}`);
      expect(markdown).toMatch(/USD per million records, 512 MB \| 1,769 MB/);
    } finally {
      restore();
    }
  }, 120_000);
});
