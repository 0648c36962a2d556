import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchGrowth } from '../../bench/growth.js';

// A smoke of the growth bench's CPU curves (tiny batches, one round) so it keeps working; timings are not asserted.
describe('bench: how cost grows, CPU curves (smoke)', () => {
  it('runs every case of the matrix at every size, prints a ratio per curve and draws the plots', async () => {
    const { markdown, ratios, curves, plots } = await benchGrowth({ smoke: true, parts: ['cpu'] });
    expect(curves).toHaveLength(24);
    for (const curve of curves) expect([...curve.points.keys()]).toEqual([1, 10, 40]);
    expect(Object.keys(ratios)).toHaveLength(24);
    for (const ratio of Object.values(ratios)) expect(ratio).toBeGreaterThan(0);
    expect(markdown).toContain('| case | 1 | 10 | 40 | 40 ÷ 10, paired | ≤ 1.2× |');
    expect(markdown).toContain('| batch · 16 partitions · 3 outputs · dead letters |');
    expect(plots).toHaveLength(4);
    for (const plot of plots) {
      expect(existsSync(plot)).toBe(true);
      expect(readFileSync(plot, 'utf8')).toContain('</svg>');
    }
  });
});
