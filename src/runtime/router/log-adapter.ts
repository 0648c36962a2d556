import { type Logger, silentLogger } from './logger.js';

type PinoMethod = (attributes: Record<string, unknown>, message: string) => void;

/** What the router needs of a pino logger: its level methods, object first (pino's own signature). */
export interface PinoLike {
  debug: PinoMethod;
  info: PinoMethod;
  warn: PinoMethod;
  error: PinoMethod;
  /** pino's; how a pino logger is told from one that takes the message first. */
  bindings(): Record<string, unknown>;
}

type MessageFirstMethod = (message: string, ...attributes: never[]) => void;

/**
 * A logger that takes the message first and an attributes object after it:
 * ours, `console`, and Powertools' Logger (whose extra arguments are typed as
 * its own attribute type or an Error, hence the loose parameter type here).
 */
export interface MessageFirstLogger {
  debug: MessageFirstMethod;
  info: MessageFirstMethod;
  warn: MessageFirstMethod;
  error: MessageFirstMethod;
}

/** What `logger` options accept: our {@link Logger}, Powertools' Logger, `console`, or a pino logger. */
export type LoggerInput = Logger | MessageFirstLogger | PinoLike;

/**
 * A {@link Logger} over any accepted logger, unchanged when it already takes
 * the message first. pino takes the attributes first, so its calls are
 * turned round; its level stays pino's own.
 */
export function toLogger(input: LoggerInput): Logger {
  // Message-first loggers take (message, attributes) as they are; the router passes nothing else.
  if (!isPino(input)) return input as Logger;
  const call = (method: PinoMethod) => (message: string, attributes?: Record<string, unknown>) =>
    method.call(input, attributes ?? {}, message);
  return { debug: call(input.debug), info: call(input.info), warn: call(input.warn), error: call(input.error) };
}

/**
 * A logger whose every entry also carries the invocation's `requestId` and,
 * when the invocation is traced, its `traceId`: what joins one record's lines
 * across functions (Lambda's JSON log format names the request `requestId`).
 */
export function invocationLogger(
  base: Logger,
  invocation: { readonly requestId?: string | undefined; readonly traceId?: string | undefined },
): Logger {
  const { requestId, traceId } = invocation;
  if ((requestId === undefined && traceId === undefined) || base === silentLogger) return base;
  const fields: Record<string, unknown> = {};
  if (requestId !== undefined) fields.requestId = requestId;
  if (traceId !== undefined) fields.traceId = traceId;
  const at = (method: Logger['info']) => (message: string, attributes?: Record<string, unknown>) =>
    method.call(base, message, attributes ? { ...fields, ...attributes } : fields);
  return { debug: at(base.debug), info: at(base.info), warn: at(base.warn), error: at(base.error) };
}

function isPino(input: LoggerInput): input is PinoLike {
  return typeof (input as Partial<PinoLike>).bindings === 'function';
}
