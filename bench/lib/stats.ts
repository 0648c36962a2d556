/** Summary of repeated measurements. */
export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
  /** The measurements, in the order taken (kept by measureInterleaved for paired ratios). */
  readonly values?: readonly number[];
}

/** Median, min and max of a list of numbers. */
export function summarize(values: readonly number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[sorted.length - 1] ?? Number.NaN, n: sorted.length };
}

/** A named thing to time; `run` does one pass and returns how many units (records, messages) it covered. */
export interface Variant {
  readonly name: string;
  run(): number | Promise<number>;
}

/**
 * Times variants interleaved, rotating the order (A B C, B C A, C A B …), so machine noise hits all of
 * them alike; returns nanoseconds per unit for each variant.
 */
export async function measureInterleaved(
  variants: readonly Variant[],
  options: { warmup: number; samples: number; passes: number },
): Promise<Map<string, Sample>> {
  for (let i = 0; i < options.warmup; i++) for (const variant of variants) await variant.run();
  const perUnit = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let s = 0; s < options.samples; s++) {
    // Each round starts one variant later, so every variant follows every other equally often: the garbage
    // and cache state one variant leaves behind is not always billed to the same neighbour.
    for (let v = 0; v < variants.length; v++) {
      const variant = variants[(s + v) % variants.length] as Variant;
      const began = process.hrtime.bigint();
      let units = 0;
      for (let p = 0; p < options.passes; p++) units += await variant.run();
      const elapsed = Number(process.hrtime.bigint() - began);
      perUnit.get(variant.name)?.push(elapsed / units);
    }
  }
  return new Map([...perUnit].map(([name, values]) => [name, { ...summarize(values), values }]));
}

/**
 * Median of the round-by-round ratios `numerator[i] / denominator[i]` of two
 * interleaved variants: each round runs them back to back, so load that comes
 * and goes between rounds cancels out, unlike in a ratio of medians.
 */
export function pairedMedianRatio(numerator: Sample | undefined, denominator: Sample | undefined): number {
  const top = numerator?.values ?? [];
  const bottom = denominator?.values ?? [];
  if (top.length === 0 || top.length !== bottom.length) return Number.NaN;
  return summarize(top.map((value, i) => value / (bottom[i] as number))).median;
}

/** `1,234` style integers and short decimals for tables. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A median with a distribution-free confidence interval (order statistics of the values). */
export interface MedianInterval {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

/**
 * The median of `values` and its ≥ 95 % confidence interval from order
 * statistics: [x(k), x(n+1−k)] with the largest k for which P(Binomial(n, ½) < k)
 * ≤ 2.5 %. Assumes nothing about the distribution, so a few rounds hit by load
 * widen the interval instead of moving it.
 */
export function medianInterval(values: readonly number[]): MedianInterval {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const { median } = summarize(sorted);
  // log P(X = i) for X ~ Binomial(n, 1/2), summed upwards until the tail passes 2.5 %.
  let logChoose = 0;
  let tail = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    tail += Math.exp(logChoose - n * Math.LN2);
    if (tail > 0.025) break;
    k = i + 1;
    logChoose += Math.log(n - i) - Math.log(i + 1);
  }
  if (k === 0) return { median, low: sorted[0] ?? Number.NaN, high: sorted[n - 1] ?? Number.NaN, n };
  return { median, low: sorted[k - 1] as number, high: sorted[n - k] as number, n };
}

/** The round-by-round ratios `numerator[i] / denominator[i]` of two interleaved variants. */
export function pairedRatios(numerator: Sample | undefined, denominator: Sample | undefined): number[] {
  const top = numerator?.values ?? [];
  const bottom = denominator?.values ?? [];
  if (top.length !== bottom.length) return [];
  return top.map((value, i) => value / (bottom[i] as number));
}
