import { describe, expect, it } from 'vitest';
import { benchPublish } from '../../bench/publish.js';
import { setEnv } from '../support/env.js';
import { testKafka } from '../support/kafka.js';

// A smoke of the benchmark on the shared broker, so it keeps working; timings are not asserted.
describe('bench: publish (smoke)', () => {
  it('flushes through every variant and bundles the SCRAM entry without the AWS SDK', async () => {
    const restore = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(',') });
    try {
      const { markdown, ratios } = await benchPublish({ smoke: true });
      for (const ratio of Object.values(ratios)) expect(ratio).toBeGreaterThan(0);
      expect(markdown).toMatch(/AWS SDK packages inside it: none/);
    } finally {
      restore();
    }
  });
});
