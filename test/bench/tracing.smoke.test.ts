import { describe, expect, it } from 'vitest';
import { benchTracing } from '../../bench/tracing.js';

// A smoke of the benchmark so it keeps working; timings are not asserted (see bench/RESULTS.md).
describe('bench: tracing (smoke)', () => {
  it('measures tracing off against never started, and on with the in-memory exporter', async () => {
    const { markdown, ratios } = await benchTracing({ smoke: true });
    expect(ratios['a/b']).toBeGreaterThan(0);
    expect(ratios['a/b low']).toBeLessThanOrEqual(ratios['a/b'] as number);
    expect(ratios['a/b high']).toBeGreaterThanOrEqual(ratios['a/b'] as number);
    expect(ratios["b'/b"]).toBeGreaterThan(0);
    expect(markdown).toMatch(/A\/A control/);
    expect(markdown).toMatch(/in-memory exporter/);
    expect(markdown).toMatch(/import of @opentelemetry\/api/);
  }, 60_000);
});
