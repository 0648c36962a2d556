import { describe, expect, it } from 'vitest';
import { benchEndToEnd } from '../../bench/e2e.js';
import { setEnv } from '../support/env.js';
import { testKafka } from '../support/kafka.js';

// A smoke of the FastStream comparison on the shared broker (it installs FastStream into bench/.venv once).
describe('bench: end to end against FastStream (smoke)', () => {
  it('runs the same pipeline with ours, FastStream (both backends) and raw kafkajs, and reports records/s and CPU per record', async () => {
    const restore = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(',') });
    try {
      const { markdown, ratios } = await benchEndToEnd({ smoke: true });
      for (const ratio of Object.values(ratios)) expect(ratio).toBeGreaterThan(0);
      expect(markdown).toMatch(/FastStream 0\.7\.8/);
    } finally {
      restore();
    }
  }, 240_000);
});
