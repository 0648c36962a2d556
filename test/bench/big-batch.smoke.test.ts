import { describe, expect, it } from 'vitest';
import { benchBigBatch } from '../../bench/big-batch.js';

// A smoke of the benchmark so it keeps working; memory and time are not asserted here.
describe('bench: big batch (smoke)', () => {
  it('runs one invocation in a fresh process and reports its peak RSS', async () => {
    const { markdown, ratios } = await benchBigBatch({ smoke: true });
    expect(ratios.peakRssMb).toBeGreaterThan(0);
    expect(markdown).toMatch(/\| 500 \|/);
  });
});
