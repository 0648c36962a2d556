import { constants } from 'node:os';

/** The signals that stop a long-running command: Ctrl-C, `kill`, and a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Stop requests of a long-running command (`kafka`, `dev`, `demo`). */
export interface StopRequests {
  /** Aborted at the first request, so steps under way can give up early. */
  readonly signal: AbortSignal;
  /** Resolves with what asked the command to stop: a signal name, or `parent exited`. */
  readonly requested: Promise<string>;
  /** Removes the handlers once the command has stopped. */
  dispose(): void;
}

/**
 * Listens for SIGINT, SIGTERM and SIGHUP, and for the exit of the process that started this one: npm does not
 * forward SIGHUP, and an `sh -c` between npm and us dies on SIGTERM without passing it on, leaving us orphaned.
 * The first request lets the command stop its consumers, children and broker; a second one exits at once
 * (128 + the signal's number), and the broker's guardian still ends the JVM when our stdin closes.
 */
export function listenForStopRequests(options: { parentPollMs?: number } = {}): StopRequests {
  const controller = new AbortController();
  let resolveRequested: (reason: string) => void = () => undefined;
  const requested = new Promise<string>((resolve) => {
    resolveRequested = resolve;
  });
  const request = (reason: string, forcedExitCode: number) => {
    if (controller.signal.aborted) process.exit(forcedExitCode);
    controller.abort(reason);
    resolveRequested(reason);
  };
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = () => request(name, 128 + constants.signals[name]);
    process.on(name, handler);
    return [name, handler] as const;
  });
  const parent = process.ppid;
  // Once seen, the parent's exit is one request, not one per poll: a poll during a slow broker stop would
  // otherwise count as the "second request" and exit before the broker and its data directory are gone.
  const parentWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(parentWatch);
    request('parent exited', 128 + constants.signals.SIGHUP);
  }, options.parentPollMs ?? 1_000);
  // Left ref'd on purpose: it keeps a command that only waits for a stop request alive (the broker's guardian is unref'd).
  return {
    signal: controller.signal,
    requested,
    dispose() {
      clearInterval(parentWatch);
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
