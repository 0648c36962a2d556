import { describe, expect, it } from 'vitest';
import { mbPer10k, type SoakSample, slope } from '../../reliability/support/slope.js';
import { withSoakSection } from '../../reliability/support/soak-report.js';

const sample = (invocations: number, heapUsedMb: number): SoakSample => ({
  invocations,
  heapUsedMb,
  rssMb: 100,
  externalMb: 4,
  activeResources: 10,
});

describe('soak slopes', () => {
  it('is the least-squares slope', () => {
    expect(
      slope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).toBeCloseTo(2);
    expect(
      slope([
        [0, 1],
        [1, 0],
        [2, 1],
        [3, 0],
      ]),
    ).toBeCloseTo(-0.2);
    expect(slope([[5, 1]])).toBe(0);
  });

  it('reports growth per 10,000 invocations', () => {
    const leaking = [sample(10_000, 20), sample(20_000, 22), sample(30_000, 24)];
    expect(mbPer10k(leaking, (s) => s.heapUsedMb)).toBeCloseTo(2);
    expect(mbPer10k(leaking, (s) => s.rssMb)).toBeCloseTo(0);
  });
});

describe('the soak section of RELIABILITY.md', () => {
  it('replaces its section and keeps the rest, or appends itself', () => {
    const section = '<!-- soak:start -->\nnew\n<!-- soak:end -->';
    expect(withSoakSection('# R\n\n<!-- soak:start -->\nold\n<!-- soak:end -->\n\ntail\n', section)).toBe(`# R\n\n${section}\n\ntail\n`);
    expect(withSoakSection('# R\n', section)).toBe(`# R\n\n${section}\n`);
  });
});
