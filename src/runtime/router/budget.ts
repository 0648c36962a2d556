/**
 * The invocation's time budget. New records start only while more than
 * `reserveMs` remains, leaving time to flush the outbox and answer Lambda;
 * records that cannot start are reported as failed, so Lambda delivers them again.
 */
export interface TimeBudget {
  remainingMs(): number;
  readonly reserveMs: number;
  /** True while a record (or a retry after `delayMs`) may still start. */
  allows(delayMs?: number): boolean;
}

/**
 * A budget over `getRemainingTimeInMillis`. Without one (tests, scripts, a
 * context of `{}`), or when it reports something that is not a number, time
 * is unlimited: the router never invents a deadline.
 */
export function timeBudget(getRemainingTimeInMillis: (() => number) | undefined, reserveMs: number): TimeBudget {
  const remainingMs = getRemainingTimeInMillis
    ? () => {
        const remaining = getRemainingTimeInMillis();
        return typeof remaining === 'number' && !Number.isNaN(remaining) ? remaining : Number.POSITIVE_INFINITY;
      }
    : () => Number.POSITIVE_INFINITY;
  return {
    remainingMs,
    reserveMs,
    allows: (delayMs = 0) => remainingMs() - delayMs > reserveMs,
  };
}
