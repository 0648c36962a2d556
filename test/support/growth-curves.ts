import { BATCH_SIZES, brokerCases, cpuCases, type GrowthCase } from '../../bench/growth/cases.js';
import type { GrowthCurve, GrowthSink } from '../../bench/growth/measure.js';

/**
 * Made-up growth curves for every case of a full run (the CPU matrix and the broker cases), shaped like real
 * ones: a per-invocation cost spread over the batch plus a per-record cost that depends on the case.
 */
export function syntheticGrowthCurves(): GrowthCurve[] {
  const curve = (c: GrowthCase, sink: GrowthSink): GrowthCurve => {
    const perRecordNs = 4_000 + c.outputs * 3_000 + (c.deadLetters ? 1_500 : 0) + c.partitions * 50 + (sink === 'broker' ? 40_000 : 0);
    const perInvocationNs = sink === 'broker' ? 2_000_000 : 30_000;
    const points = new Map(
      BATCH_SIZES.map((size) => {
        const ns = perRecordNs + perInvocationNs / size;
        return [size, { median: ns, min: ns * 0.9, max: ns * 1.3, n: 3, values: [ns * 0.95, ns, ns * 1.05] }];
      }),
    );
    return { case: c, sink, points };
  };
  return [...cpuCases().map((c) => curve(c, 'cpu')), ...brokerCases().map((c) => curve(c, 'broker'))];
}
