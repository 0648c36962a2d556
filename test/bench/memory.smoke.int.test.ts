import { describe, expect, it } from 'vitest';
import { benchMemory } from '../../bench/memory.js';
import { setEnv } from '../support/env.js';
import { testKafka } from '../support/kafka.js';

// A smoke of the 6 MB memory bench on the shared broker: one fresh process publishes a ~6 MB event of small records.
describe('bench: memory at 6 MB events (smoke)', () => {
  it('publishes a ~6 MB event in a fresh process and reports its peak RSS above the baseline', async () => {
    const restore = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(',') });
    try {
      const { markdown, ratios } = await benchMemory({ smoke: true });
      expect(ratios['small peak above baseline / event']).toBeGreaterThan(0);
      expect(markdown).toMatch(/\| many small records \(~1 KB\) \| [\d,]+ \| 5\.\d\d MB \|/);
    } finally {
      restore();
    }
  }, 180_000);
});
