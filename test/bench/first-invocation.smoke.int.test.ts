import { describe, expect, it } from 'vitest';
import { benchFirstInvocation } from '../../bench/first-invocation.js';
import { setEnv } from '../support/env.js';
import { testKafka } from '../support/kafka.js';

// A smoke of the first-invocation bench on the shared broker: each bundle initialises and publishes in a fresh process.
describe('bench: first invocation (smoke)', () => {
  it('bundles ours and kafkajs alone, and runs init plus a first invocation of each, with and without connecting in init', async () => {
    const restore = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(',') });
    try {
      const { markdown, ratios } = await benchFirstInvocation({ smoke: true });
      for (const ratio of Object.values(ratios)) expect(ratio).toBeGreaterThan(0);
      expect(markdown).toContain('| ours, preConnect + await publisher.connect() in init |');
    } finally {
      restore();
    }
  }, 120_000);
});
