import { describe, expect, it } from 'vitest';
import { timeBudget } from '../../../../src/runtime/router/budget.js';

describe('timeBudget', () => {
  it('allows a start only while more than the reserve remains', () => {
    let remaining = 5_000;
    const budget = timeBudget(() => remaining, 2_000);
    expect(budget.allows()).toBe(true);
    expect(budget.allows(2_999)).toBe(true);
    expect(budget.allows(3_000)).toBe(false);
    remaining = 2_000;
    expect(budget.allows()).toBe(false);
  });

  it('is unlimited without a clock, or when the clock reports no number', () => {
    for (const clock of [undefined, () => Number.NaN, () => undefined as unknown as number]) {
      const budget = timeBudget(clock, 2_000);
      expect(budget.remainingMs()).toBe(Number.POSITIVE_INFINITY);
      expect(budget.allows(1e12)).toBe(true);
    }
  });

  it('passes Infinity through (local runners report it)', () => {
    expect(timeBudget(() => Number.POSITIVE_INFINITY, 2_000).allows(10_000)).toBe(true);
  });
});
