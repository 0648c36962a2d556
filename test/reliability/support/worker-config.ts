/** What the orchestrator tells a pipeline worker process (JSON in `CHAOS_WORKER`). */
export interface WorkerConfig {
  /** Brokers the emulator (Lambda's poller) reads from: direct, never faulted by the proxy. */
  readonly brokers: readonly string[];
  /** Brokers the function's producer publishes to: through the fault proxy. */
  readonly publishBrokers: readonly string[];
  readonly topics: { readonly input: string; readonly output: string; readonly deadLetter: string };
  /** The event source mapping's consumer group (kept across worker restarts: redelivery from the last commit). */
  readonly groupId: string;
  readonly batchSize: number;
  readonly batchingWindowS: number;
  /** The function's timeout in seconds: where `getRemainingTimeInMillis` starts. */
  readonly timeoutS: number;
  /** The router's reserve: records do not start with less time left. */
  readonly reserveMs: number;
  readonly sessionTimeoutMs: number;
  /** The producer's request timeout. */
  readonly requestTimeoutMs: number;
  /** How long a flush keeps retrying before the invocation fails (the publisher's default, 30 s, when unset). */
  readonly deliveryTimeoutMs?: number;
  /** Share of invocations that throw: half before dispatching, half after their outputs were flushed. */
  readonly invocationThrowRate: number;
  /** Seed of the worker's fault dice (the orchestrator varies it per restart). */
  readonly seed: number;
  /** Inputs are Avro in Confluent framing, decoded through the registry at this URL (scenario 8). */
  readonly registryUrl?: string;
  /** Sabotage for the suite's own control run: every n-th input is acknowledged without an output (a silent loss). */
  readonly dropEvery?: number;
  /** Side effects: each handled record increments a counter in Redis, optionally through the idempotency layer. */
  readonly effects?: { readonly redisUrl: string; readonly prefix: string; readonly idempotent: boolean };
}

/** Messages a worker sends to the orchestrator over IPC. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'invoking'; readonly records: number }
  | {
      readonly type: 'status';
      readonly idle: boolean;
      readonly invocations: number;
      readonly records: number;
      readonly redeliveries: number;
      readonly failedInvocations: number;
    };

/** The environment variable carrying a worker's config. */
export const WORKER_CONFIG_ENV = 'CHAOS_WORKER';

/** A small seeded PRNG (mulberry32): fault dice that a seed reproduces. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
