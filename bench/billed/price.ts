/**
 * Lambda's published on-demand duration price for arm64 (Graviton), US East (N. Virginia), first 7.5 billion
 * GB-seconds a month: USD 0.0000133334 per GB-second (https://aws.amazon.com/lambda/pricing/). The page renders
 * its rate tables client-side; the figure was read from transcriptions of it (cloudchipr.com/blog/aws-lambda-pricing,
 * artillery's lib/platform/aws-lambda/prices.js `arm64: 1333340` × 1e-11), which agree.
 */
export const ARM64_USD_PER_GB_SECOND = 0.0000133334;

/** Billed duration cost, in USD, of a million records at `nsPerRecord` of handler time with `memoryMb` configured. */
export function usdPerMillionRecords(nsPerRecord: number, memoryMb: number): number {
  const seconds = (nsPerRecord * 1e6) / 1e9;
  return seconds * (memoryMb / 1024) * ARM64_USD_PER_GB_SECOND;
}
