import { type LogEntry, logLevel } from 'kafkajs';
import protocol from 'kafkajs/src/protocol/error.js';

// kafkajs logs a broker's error response at ERROR even when it retries the request and then succeeds (the
// first InitProducerId on a fresh broker answers "The coordinator is loading…"). ERROR is for what a user
// must act on: a failure that lasts reaches the caller as a thrown PublishError/ConnectionError anyway.
const RETRIED = new Set(protocol.errorCodes.filter((error) => error.retriable).map((error) => error.message));

/** The level a kafkajs log line deserves: `debug` for a broker error kafkajs retries, else `warn`. */
export function kafkajsLineLevel(entry: LogEntry): 'debug' | 'warn' {
  if (entry.level !== logLevel.ERROR) return 'warn';
  const { error } = entry.log as { error?: unknown };
  return typeof error === 'string' && RETRIED.has(error) ? 'debug' : 'warn';
}
