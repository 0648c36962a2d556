import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianInterval, pairedRatios } from '../../../bench/lib/stats.js';

describe('medianInterval', () => {
  it('gives the order-statistic 95 % interval of the median (the textbook ranks)', () => {
    const ranks = (n: number) => medianInterval(Array.from({ length: n }, (_, i) => n - i));
    expect(ranks(10)).toEqual({ median: 5.5, low: 2, high: 9, n: 10 });
    expect(ranks(30)).toEqual({ median: 15.5, low: 10, high: 21, n: 30 });
    expect(ranks(100)).toMatchObject({ low: 40, high: 61 });
    // Too few values for 95 %: the whole range.
    expect(ranks(5)).toMatchObject({ low: 1, high: 5 });
  });

  it('is a pair of the values around the median, for any values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 200 }), (values) => {
        const { median, low, high, n } = medianInterval(values);
        expect(n).toBe(values.length);
        expect(values).toContain(low);
        expect(values).toContain(high);
        expect(low).toBeLessThanOrEqual(median);
        expect(median).toBeLessThanOrEqual(high);
      }),
    );
  });
});

describe('pairedRatios', () => {
  it('divides round by round, and gives nothing for unequal rounds', () => {
    expect(pairedRatios({ median: 0, min: 0, max: 0, n: 2, values: [2, 9] }, { median: 0, min: 0, max: 0, n: 2, values: [1, 3] })).toEqual([
      2, 3,
    ]);
    expect(pairedRatios({ median: 0, min: 0, max: 0, n: 1, values: [2] }, undefined)).toEqual([]);
  });
});
