import { describe, expect, it } from 'vitest';
import { benchGrowth } from '../../bench/growth.js';
import { setEnv } from '../support/env.js';
import { testKafka } from '../support/kafka.js';

// A smoke of the growth bench's broker curves on the shared broker (tiny batches, one round); timings are not asserted.
describe('bench: how cost grows, flushed to the broker (smoke)', () => {
  it('flushes every broker case at every size through our Kafka publisher and plots it', async () => {
    const restore = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(',') });
    try {
      const { markdown, ratios, curves, plots } = await benchGrowth({ smoke: true, parts: ['broker'] });
      expect(curves.map((c) => c.sink)).toEqual(['broker', 'broker', 'broker', 'broker']);
      for (const ratio of Object.values(ratios)) expect(ratio).toBeGreaterThan(0);
      expect(markdown).toContain('### Flushed to the local broker');
      expect(markdown).toContain('| record · 4 partitions · 3 outputs · dead letters |');
      expect(plots.map((p) => p.split('/').at(-1))).toEqual(['growth-broker.svg']);
    } finally {
      restore();
    }
  }, 120_000);
});
