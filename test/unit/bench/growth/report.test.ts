import { describe, expect, it } from 'vitest';
import type { GrowthCase } from '../../../../bench/growth/cases.js';
import type { GrowthCurve } from '../../../../bench/growth/measure.js';
import { GROWTH_TARGET, growthMarkdown, growthRatios } from '../../../../bench/growth/report.js';

const sample = (ns: number, values: number[]) => ({ median: ns, min: ns, max: ns, n: values.length, values });
function curve(c: GrowthCase, sink: 'cpu' | 'broker', at100: number, at10k: number): GrowthCurve {
  return {
    case: c,
    sink,
    points: new Map([
      [1, sample(40_000, [40_000])],
      [100, sample(at100, [at100])],
      [10_000, sample(at10k, [at10k])],
    ]),
  };
}
const settings = { warmup: 1, samples: 7, recordsPerSample: 2_000 };

describe('growth report', () => {
  it('marks each curve against the 1.2× target, lists the misses and links the plots', () => {
    const curves = [
      curve({ route: 'record', partitions: 4, deadLetters: false, outputs: 3 }, 'cpu', 10_000, 11_000),
      curve({ route: 'batch', partitions: 16, deadLetters: true, outputs: 0 }, 'cpu', 10_000, 13_000),
      curve({ route: 'record', partitions: 4, deadLetters: true, outputs: 3 }, 'broker', 50_000, 45_000),
    ];
    expect(GROWTH_TARGET).toBe(1.2);
    expect(growthRatios(curves, 10_000, 100).map((r) => r.met)).toEqual([true, false, true]);
    const { markdown, ratios } = growthMarkdown({
      curves,
      sizes: [1, 100, 10_000],
      reference: 100,
      settings: { cpu: settings, broker: settings },
      machine: 'a test machine',
      load: { before: 1, after: 2 },
      plots: ['plots/growth-cpu-record-3-outputs.svg'],
      smoke: false,
    });
    expect(markdown).toContain('Command: `npm run bench -- growth` · a test machine');
    expect(markdown).toContain('| case | 1 | 100 | 10,000 | 10,000 ÷ 100, paired | ≤ 1.2× |');
    expect(markdown).toContain('| record · 4 partitions · 3 outputs | 40.0 | 10.0 | 11.0 | 1.10× | yes |');
    expect(markdown).toContain('| batch · 16 partitions · 0 outputs · dead letters | 40.0 | 10.0 | 13.0 | 1.30× | **no** |');
    expect(markdown).toContain('### Flushed to the local broker');
    expect(markdown).toContain('| record · 4 partitions · 3 outputs · dead letters | 40.0 | 50.0 | 45.0 | 0.90× | yes |');
    expect(markdown).toContain('2 of 3 curves; missed by cpu · batch · 16 partitions · 0 outputs · dead letters (1.30×)');
    expect(markdown).toContain('![plots/growth-cpu-record-3-outputs.svg](plots/growth-cpu-record-3-outputs.svg)');
    expect(ratios['cpu · batch · 16 partitions · 0 outputs · dead letters 10000/100']).toBeCloseTo(1.3);
    expect(Object.keys(ratios)).toHaveLength(3);
  });
});
