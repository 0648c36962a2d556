import { Kafka, logLevel } from 'kafkajs';
import { jsonLogger, type Logger } from '../../../runtime/router/logger.js';
import { EventSourcePoller } from './poller.js';
import type { EmulatedFunction, FunctionStats } from './types.js';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  readonly brokers: readonly string[];
  readonly functions: readonly EmulatedFunction[];
  readonly logger?: Logger;
  /** Delay before failed records are delivered again (default 200 ms). */
  readonly retryDelayMs?: number;
  /**
   * Consumer-group session timeout (default 30 s): how long the broker waits
   * before giving a crashed emulator's partitions to a new one. Crash tests
   * shorten it (the broker's minimum is 6 s).
   */
  readonly sessionTimeoutMs?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  /** Counters per function name. */
  readonly stats: ReadonlyMap<string, FunctionStats>;
  /** The consumer group of each event source, `function/topic` → group id. */
  readonly groups: ReadonlyMap<string, string>;
  /** True when every poller has nothing queued or in flight. */
  idle(): boolean;
  /** Resolves once every consumer group has been joined and its starting positions fixed: records produced after it are delivered, LATEST included. */
  joined(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Lambda's Kafka event source mappings, locally: one consumer group per
 * function and topic, batches built like Lambda's poller builds them, the
 * function invoked in-process with the exact ESM event, and its partial batch
 * response honoured when committing.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const logger = options.logger ?? jsonLogger();
  const kafka = new Kafka({ clientId: 'local-esm', brokers: [...options.brokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const stats = new Map<string, FunctionStats>();
  const groups = new Map<string, string>();
  const pollers: EventSourcePoller[] = [];
  for (const fn of options.functions) {
    const fnStats: FunctionStats = {
      invocations: 0,
      records: 0,
      failures: 0,
      redeliveries: 0,
      sentToDestination: 0,
      filteredOut: 0,
      durationsMs: [],
    };
    stats.set(fn.name, fnStats);
    for (const source of fn.eventSources) {
      if (source.enabled === false) continue;
      const poller = new EventSourcePoller({
        kafka,
        brokers: options.brokers,
        fn,
        source,
        stats: fnStats,
        logger,
        producer,
        ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
        ...(options.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}),
      });
      groups.set(`${fn.name}/${source.topic}`, poller.groupId);
      pollers.push(poller);
    }
  }
  await Promise.all(pollers.map((poller) => poller.start()));
  return {
    stats,
    groups,
    idle: () => pollers.every((poller) => poller.idle),
    joined: async () => {
      await Promise.all(pollers.map((poller) => poller.joined));
    },
    async stop() {
      await Promise.all(pollers.map((poller) => poller.stop()));
      await producer.disconnect();
    },
  };
}
