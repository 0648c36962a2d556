import { KafkaRouterError } from '../errors/index.js';

/** How a retryable failure is retried in place before the record is dead-lettered or its lane fails. */
export interface RetryPolicy {
  /** Total attempts including the first (default 3; 1 disables retries). */
  readonly attempts?: number;
  /** Delay before the second attempt (default 100 ms). */
  readonly initialDelayMs?: number;
  /** Growth per attempt (default 2). */
  readonly multiplier?: number;
  /** Upper bound of one delay (default 2000 ms). */
  readonly maxDelayMs?: number;
}

/** A retry policy with every field filled in. */
export type ResolvedRetryPolicy = Required<RetryPolicy>;

/** The defaults: 3 attempts, 100 ms doubling, capped at 2 s. */
export const DEFAULT_RETRY: ResolvedRetryPolicy = { attempts: 3, initialDelayMs: 100, multiplier: 2, maxDelayMs: 2_000 };

/** Fills a partial policy from the defaults and checks it. */
export function resolveRetry(policy: RetryPolicy | undefined, base: ResolvedRetryPolicy = DEFAULT_RETRY): ResolvedRetryPolicy {
  const resolved = { ...base, ...policy };
  if (!Number.isInteger(resolved.attempts) || resolved.attempts < 1) throw new RangeError('retry.attempts must be an integer ≥ 1');
  if (resolved.initialDelayMs < 0 || resolved.maxDelayMs < 0 || resolved.multiplier < 1)
    throw new RangeError('retry delays must be ≥ 0 and multiplier ≥ 1');
  return resolved;
}

/** Delay before attempt `next` (2, 3, …). */
export function backoffDelay(policy: ResolvedRetryPolicy, next: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (next - 2));
}

/** True when retrying the same record cannot change the outcome. */
export function isPermanent(error: unknown): boolean {
  return error instanceof KafkaRouterError && error.permanent;
}
