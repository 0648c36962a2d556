import { KafkaRouterError } from '../../../src/runtime/errors/index.js';

/** The reliability suite cannot run as asked: a missing tool, a process that would not start, a wait that timed out. */
export class ReliabilitySuiteError extends KafkaRouterError {
  override name = 'ReliabilitySuiteError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIG', message, { permanent: true, cause: options.cause });
  }
}

/**
 * Thrown by the worker's fault injection ("the function throws"). It stands
 * for a user's own handler error, which is not one of the library's errors:
 * hence a plain `Error` subclass, retryable like any unknown error.
 */
export class InjectedFaultError extends Error {
  override name = 'InjectedFaultError';
  readonly code = 'INJECTED_FAULT';
}
