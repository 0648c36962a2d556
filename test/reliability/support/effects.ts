import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import { createClient } from '@redis/client';
import { idempotent } from '../../../src/runtime/router/idempotency.js';
import type { HandlerContext } from '../../../src/runtime/router/route.js';
import type { WorkerConfig } from './worker-config.js';

/** The worker's side effect: one INCR per handled input in Redis, optionally behind the idempotency layer. */
export interface SideEffects {
  /** Wraps the route's handler: the effect runs before it (as a payment call would). */
  wrap<TValue extends { readonly id: string }>(
    handle: (value: TValue, ctx: HandlerContext<string>) => unknown,
  ): (value: TValue, ctx: HandlerContext<string>) => Promise<unknown>;
  close(): Promise<void>;
}

/** Connects to the suite's Redis for the worker's side effects. */
export async function connectSideEffects(config: NonNullable<WorkerConfig['effects']>): Promise<SideEffects> {
  const client = createClient({ url: config.redisUrl });
  await client.connect();
  return {
    wrap(handle) {
      const withEffect = async (value: Parameters<typeof handle>[0], ctx: HandlerContext<string>) => {
        await client.incr(effectKey(config.prefix, value.id));
        return handle(value, ctx);
      };
      return config.idempotent
        ? idempotent(withEffect, {
            name: config.prefix,
            powertools: () => import('@aws-lambda-powertools/idempotency'),
            persistenceStore: () => new CachePersistenceLayer({ client }),
            // A crashed attempt blocks its redelivery this long (the function's records take milliseconds).
            inProgressExpiryMs: 3_000,
          })
        : withEffect;
    },
    close: async () => {
      await client.close();
    },
  };
}

/** The Redis key counting input `id`'s side effects. */
export function effectKey(prefix: string, id: string): string {
  return `${prefix}:effects:${id}`;
}

/** How the side effects of a run came out. */
export interface EffectCounts {
  readonly idempotent: boolean;
  /** Handled inputs whose effect ran exactly once. */
  readonly once: number;
  /** Handled inputs whose effect ran more than once, and the extra runs in all. */
  readonly repeated: number;
  readonly extraRuns: number;
  /** Handled inputs whose effect never ran (must be 0: the effect precedes the output). */
  readonly missing: number;
}

/** Reads the effect counters of `ids` (the handled inputs). */
export async function countEffects(
  redisUrl: string,
  prefix: string,
  ids: readonly string[],
  idempotentRun: boolean,
): Promise<EffectCounts> {
  const client = createClient({ url: redisUrl });
  await client.connect();
  let once = 0;
  let repeated = 0;
  let extraRuns = 0;
  let missing = 0;
  try {
    for (let start = 0; start < ids.length; start += 1_000) {
      const values = await client.mGet(ids.slice(start, start + 1_000).map((id) => effectKey(prefix, id)));
      for (const value of values) {
        const runs = Number(value ?? 0);
        if (runs === 1) once++;
        else if (runs === 0) missing++;
        else {
          repeated++;
          extraRuns += runs - 1;
        }
      }
    }
  } finally {
    await client.close();
  }
  return { idempotent: idempotentRun, once, repeated, extraRuns, missing };
}
