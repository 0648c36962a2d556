import { describe, expect, it } from 'vitest';
import { benchEndToEnd } from '../../bench/e2e.js';
import { setEnv } from '../support/env.js';
import { testKafka } from '../support/kafka.js';

// A smoke of the FastStream comparison on the shared broker (it installs FastStream into bench/.venv once).
describe('bench: end to end against FastStream (smoke)', () => {
  it('runs the same pipeline with ours, FastStream (both backends, per-message and batch subscribers) and raw kafkajs, and reports records/s and CPU per record', async () => {
    const restore = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(',') });
    try {
      const { markdown, ratios } = await benchEndToEnd({ smoke: true });
      for (const ratio of Object.values(ratios)) expect(ratio).toBeGreaterThan(0);
      expect(markdown).toMatch(/FastStream 0\.7\.8/);
      // Every FastStream configuration ran and has a row; the headline ratio is against the fastest of them.
      for (const mode of ['per-message', 'batch'])
        for (const backend of ['Confluent', 'aiokafka']) {
          const name = `FastStream 0.7.8, ${mode} subscriber (${backend} backend)`;
          expect(markdown).toContain(`| ${name} | `);
          expect(ratios[`ours/${name} throughput`]).toBeGreaterThan(0);
        }
      const vsEach = Object.entries(ratios).filter(([name]) => name.startsWith('ours/FastStream'));
      expect(ratios['ours/faststream throughput']).toBeCloseTo(Math.min(...vsEach.map(([, ratio]) => ratio)), 10);
    } finally {
      restore();
    }
  }, 240_000);
});
