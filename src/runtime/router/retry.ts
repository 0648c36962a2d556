import { ConfigError, KafkaRouterError } from '../errors/index.js';
import type { TimeBudget } from './budget.js';

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

/** Fills a partial policy from the defaults and checks it; a bad policy is a {@link ConfigError}. */
export function resolveRetry(policy: RetryPolicy | undefined, base: ResolvedRetryPolicy = DEFAULT_RETRY): ResolvedRetryPolicy {
  const resolved = { ...base, ...policy };
  if (!Number.isInteger(resolved.attempts) || resolved.attempts < 1) throw new ConfigError('retry.attempts must be an integer ≥ 1');
  const delays = [resolved.initialDelayMs, resolved.maxDelayMs, resolved.multiplier];
  if (!delays.every(Number.isFinite) || resolved.initialDelayMs < 0 || resolved.maxDelayMs < 0 || resolved.multiplier < 1)
    throw new ConfigError('retry delays must be finite and ≥ 0, and multiplier ≥ 1');
  return resolved;
}

/** Delay before attempt `next` (2, 3, …): exponential, capped. */
export function backoffDelay(policy: ResolvedRetryPolicy, next: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (next - 2));
}

/** True when retrying the same record cannot change the outcome. */
export function isPermanent(error: unknown): boolean {
  return error instanceof KafkaRouterError && error.permanent;
}

/** The outcome of {@link retryWithBudget}: the attempt's result, or the error that ended the retries. */
export type RetryOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** What {@link retryWithBudget} needs besides the attempt itself; built once per lane, not per record. */
export interface RetryScope<A> {
  readonly policy: ResolvedRetryPolicy;
  readonly budget: TimeBudget;
  /** Called before each retry's wait (logging). */
  onRetry?(error: unknown, attempt: number, delayMs: number, arg: A): void;
}

/**
 * The one retry loop of the router (record and batch handlers alike): runs
 * `attempt(1, arg)`, and on a retryable error waits with backoff and tries
 * again, while attempts remain and the time budget covers the wait. Never
 * throws. A first attempt that succeeds synchronously returns synchronously:
 * no promise per record on the hot path.
 */
export function retryWithBudget<A, T>(
  scope: RetryScope<A>,
  attempt: (n: number, arg: A) => T | PromiseLike<T>,
  arg: A,
): RetryOutcome<T> | Promise<RetryOutcome<T>> {
  let value: T | PromiseLike<T>;
  try {
    value = attempt(1, arg);
  } catch (error) {
    return retryAfter(scope, attempt, arg, error);
  }
  if (!isThenable(value)) return { ok: true, value };
  return Promise.resolve(value).then(
    (settled): RetryOutcome<T> => ({ ok: true, value: settled }),
    (error: unknown) => retryAfter(scope, attempt, arg, error),
  );
}

// Attempts 2, 3, … after the first failed with `error`.
async function retryAfter<A, T>(
  scope: RetryScope<A>,
  attempt: (n: number, arg: A) => T | PromiseLike<T>,
  arg: A,
  firstError: unknown,
): Promise<RetryOutcome<T>> {
  let error = firstError;
  for (let n = 1; ; n++) {
    const delay = backoffDelay(scope.policy, n + 1);
    if (isPermanent(error) || n >= scope.policy.attempts || !scope.budget.allows(delay)) return { ok: false, error };
    scope.onRetry?.(error, n, delay, arg);
    await sleep(delay);
    try {
      return { ok: true, value: await attempt(n + 1, arg) };
    } catch (caught) {
      error = caught;
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
