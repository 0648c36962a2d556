/** One memory/handle sample of the soak. */
export interface SoakSample {
  /** Invocations completed when the sample was taken. */
  readonly invocations: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  /** `external + arrayBuffers`: Buffers live outside the V8 heap. */
  readonly externalMb: number;
  /** `process.getActiveResourcesInfo().length`: sockets, timers, handles alive. */
  readonly activeResources: number;
}

/** Least-squares slope of `y` over `x` (0 for fewer than two points or no spread in x). */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/** Growth in MB per 10,000 invocations of one measure, over the samples after warm-up. */
export function mbPer10k(samples: readonly SoakSample[], measure: (sample: SoakSample) => number): number {
  return slope(samples.map((sample) => [sample.invocations, measure(sample)] as const)) * 10_000;
}
