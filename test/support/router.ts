import type { EventMessage } from '../../src/harness/testing/build-event.js';
import { parseKafkaEvent } from '../../src/runtime/event/parse.js';
import { type DispatchReport, dispatch } from '../../src/runtime/router/dispatch.js';
import { type Logger, silentLogger } from '../../src/runtime/router/logger.js';
import type { LambdaContext } from '../../src/runtime/router/route.js';
import { createRouter, type RouterOptions } from '../../src/runtime/router/router.js';
import { mutableEvent } from './events.js';

/** Fast retries so failure tests run in milliseconds. */
export const FAST_RETRY = { attempts: 3, initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 } as const;

/** Builds a quiet router, an event from `messages`, and dispatches it. */
export function run(
  options: Partial<RouterOptions> & Pick<RouterOptions, 'routes'>,
  messages: readonly EventMessage[] | unknown,
  lambda?: LambdaContext,
): Promise<DispatchReport> {
  const router = createRouter({ unmatched: 'fail', logger: silentLogger, retry: FAST_RETRY, ...options });
  const event = Array.isArray(messages) ? mutableEvent(messages as EventMessage[]) : messages;
  return dispatch(router, parseKafkaEvent(event), lambda ? { lambda } : {});
}

/** Checks the accounting promise: every record is handled, dead-lettered, skipped or failed. */
export function accounted(report: DispatchReport): boolean {
  const t = report.totals;
  return (
    t.handled + t.deadLettered + t.skipped + t.failed === t.records &&
    report.lanes.every((l) => l.handled + l.deadLettered + l.skipped + l.failed === l.records)
  );
}

/** One captured log call. */
export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Record<string, unknown> | undefined;
}

/** A logger that keeps every call, for tests that check what operators see. */
export function recordingLogger(): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (message: string, attributes?: Record<string, unknown>) => {
    entries.push({ level, message, attributes });
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, entries };
}
