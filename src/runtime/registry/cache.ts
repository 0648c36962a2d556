/** A per-container cache where concurrent lookups of one key share one load, and failed loads are forgotten. */
export interface CoalescingCache<K, V> {
  get(key: K): Promise<V>;
  /** How many loads ran (each key once, unless a load failed). */
  readonly loads: number;
}

/** Wraps `load` in a {@link CoalescingCache}. */
export function coalescingCache<K, V>(load: (key: K) => Promise<V>): CoalescingCache<K, V> {
  const entries = new Map<K, Promise<V>>();
  let loads = 0;
  return {
    get(key) {
      const cached = entries.get(key);
      if (cached) return cached;
      loads++;
      const pending = load(key);
      entries.set(key, pending);
      // A registry that was down may be up on the next delivery: do not keep the failure.
      pending.catch(() => entries.delete(key));
      return pending;
    },
    get loads() {
      return loads;
    },
  };
}
