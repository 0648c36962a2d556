import { describe, expect, it } from 'vitest';
import { benchDispatch } from '../../bench/dispatch.js';

// A smoke of the benchmark so it keeps working; timings are not asserted (see bench/RESULTS.md).
describe('bench: dispatch (smoke)', () => {
  it('runs every variant on the same event and reports its ratios', async () => {
    const { markdown, ratios } = await benchDispatch({ smoke: true });
    for (const ratio of Object.values(ratios)) expect(ratio).toBeGreaterThan(0);
    expect(markdown).toMatch(/\(a\) decode floor/);
    expect(markdown).toMatch(/kafkaConsumer/);
  });
});
