import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, InvariantError, PermanentError } from '../../../../src/runtime/errors/index.js';
import { timeBudget } from '../../../../src/runtime/router/budget.js';
import { backoffDelay, DEFAULT_RETRY, isPermanent, resolveRetry, retryWithBudget } from '../../../../src/runtime/router/retry.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('resolveRetry', () => {
  it('fills the defaults: 3 attempts, 100 ms doubling, capped at 2 s', () => {
    expect(resolveRetry(undefined)).toEqual({ attempts: 3, initialDelayMs: 100, multiplier: 2, maxDelayMs: 2_000 });
    expect(resolveRetry({ attempts: 5 })).toEqual({ ...DEFAULT_RETRY, attempts: 5 });
  });

  it.each([
    { attempts: 0 },
    { attempts: 1.5 },
    { initialDelayMs: -1 },
    { multiplier: 0.5 },
    { maxDelayMs: Number.NaN },
    { initialDelayMs: Number.POSITIVE_INFINITY },
    { maxDelayMs: -1 },
  ])('refuses %j with a ConfigError', (policy) => {
    expect(() => resolveRetry(policy)).toThrow(ConfigError);
  });

  it('says which rule a policy breaks', () => {
    expect(() => resolveRetry({ attempts: 0 })).toThrow('retry.attempts must be an integer ≥ 1');
    expect(() => resolveRetry({ maxDelayMs: -1 })).toThrow('retry delays must be finite and ≥ 0, and multiplier ≥ 1');
  });

  it('accepts zero delays (retry at once) and a multiplier of 1 (constant delay)', () => {
    expect(resolveRetry({ initialDelayMs: 0, maxDelayMs: 0, multiplier: 1 })).toEqual({
      attempts: 3,
      initialDelayMs: 0,
      maxDelayMs: 0,
      multiplier: 1,
    });
  });
});

describe('isPermanent', () => {
  it('trusts only the library’s own errors: a permanent flag on anything else is ignored', () => {
    expect(isPermanent(new PermanentError('x'))).toBe(true);
    expect(isPermanent(new InvariantError('x'))).toBe(false);
    expect(isPermanent(Object.assign(new Error('x'), { permanent: true }))).toBe(false);
    expect(isPermanent({ permanent: true })).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially from the initial delay and stops at the cap', () => {
    const policy = resolveRetry({ attempts: 8 });
    expect([2, 3, 4, 5, 6, 7, 8].map((next) => backoffDelay(policy, next))).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000]);
  });
});

describe('retryWithBudget', () => {
  const unlimited = timeBudget(undefined, 0);

  it('waits with growing delays between attempts (fake timers)', async () => {
    vi.useFakeTimers();
    const started = Date.now();
    const at: number[] = [];
    const outcome = retryWithBudget(
      { policy: resolveRetry({ attempts: 4 }), budget: unlimited },
      (n) => {
        at.push(Date.now() - started);
        if (n < 4) throw new Error(`attempt ${n}`);
        return 'done';
      },
      undefined,
    );
    await vi.runAllTimersAsync();
    expect(await outcome).toEqual({ ok: true, value: 'done' });
    expect(at).toEqual([0, 100, 300, 700]);
  });

  it('gives up after the last attempt with the last error', async () => {
    const errors: string[] = [];
    const outcome = await retryWithBudget(
      {
        policy: resolveRetry({ attempts: 3, initialDelayMs: 0 }),
        budget: unlimited,
        onRetry: (error) => errors.push((error as Error).message),
      },
      (n) => {
        throw new Error(`attempt ${n}`);
      },
      undefined,
    );
    expect(outcome).toMatchObject({ ok: false, error: { message: 'attempt 3' } });
    expect(errors).toEqual(['attempt 1', 'attempt 2']);
  });

  it('does not retry a permanent error', async () => {
    let calls = 0;
    const outcome = await retryWithBudget(
      { policy: resolveRetry({ attempts: 5, initialDelayMs: 0 }), budget: unlimited },
      () => {
        calls++;
        throw new PermanentError('bad data');
      },
      undefined,
    );
    expect(outcome.ok).toBe(false);
    expect(calls).toBe(1);
  });

  it('does not start a retry whose wait would eat into the reserve', async () => {
    let calls = 0;
    const budget = timeBudget(() => 1_000, 950);
    const outcome = await retryWithBudget(
      { policy: resolveRetry({ attempts: 5, initialDelayMs: 100 }), budget },
      () => {
        calls++;
        throw new Error('down');
      },
      undefined,
    );
    expect(outcome.ok).toBe(false);
    expect(calls).toBe(1);
  });

  it('returns synchronously when the first attempt succeeds synchronously (no promise per record)', () => {
    expect(retryWithBudget({ policy: DEFAULT_RETRY, budget: unlimited }, (n, arg: string) => `${arg}${n}`, 'a')).toEqual({
      ok: true,
      value: 'a1',
    });
  });

  it('retries an async attempt that rejects', async () => {
    const outcome = await retryWithBudget(
      { policy: resolveRetry({ attempts: 2, initialDelayMs: 0 }), budget: unlimited },
      async (n) => {
        if (n === 1) throw new Error('first');
        return n;
      },
      undefined,
    );
    expect(outcome).toEqual({ ok: true, value: 2 });
  });

  it('awaits an async attempt and returns its value', async () => {
    expect(await retryWithBudget({ policy: DEFAULT_RETRY, budget: unlimited }, async () => 42, undefined)).toEqual({ ok: true, value: 42 });
  });

  it('returns undefined, null and other non-promise values as they are', async () => {
    // A `then` that is not a function does not make a thenable; a handler that returns nothing is the common case.
    for (const value of [undefined, null, 0, 'text', Object.fromEntries([['then', 'not a function']])]) {
      expect(await retryWithBudget({ policy: DEFAULT_RETRY, budget: unlimited }, () => value, undefined)).toEqual({ ok: true, value });
    }
  });

  it('answers a first attempt that succeeds synchronously synchronously, whatever it returns', () => {
    for (const value of [{ a: 1 }, [1], null, undefined]) {
      const outcome = retryWithBudget({ policy: DEFAULT_RETRY, budget: unlimited }, () => value, undefined);
      expect(outcome).not.toBeInstanceOf(Promise);
      expect(outcome).toEqual({ ok: true, value });
    }
  });
});
