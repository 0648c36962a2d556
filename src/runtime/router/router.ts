import { ConfigError } from '../errors/index.js';
import { type LoggerInput, toLogger } from './log-adapter.js';
import { jsonLogger, type Logger } from './logger.js';
import type { RetryPolicy } from './retry.js';
import type { Route } from './route.js';
import { compileRouteTable, type RouteTable } from './table.js';

/** What happens to a record whose topic no route consumes (default `fail`: the record is never lost, Lambda redelivers it). */
export type UnmatchedPolicy = 'fail' | 'skip' | { readonly deadLetter: string };

/** Options of {@link createRouter}. */
export interface RouterOptions {
  readonly routes: readonly Route[];
  /**
   * `fail` (the default): the lane stops and is reported, so Lambda redelivers it and nothing is lost while
   * a route is missing; `skip`: counted and logged as a warning; `{deadLetter}`: sent there.
   */
  readonly unmatched?: UnmatchedPolicy;
  /** Partitions processed at the same time (default 16). Records within one partition are always sequential. */
  readonly concurrency?: number;
  /** Default retry policy for routes that set none. */
  readonly retry?: RetryPolicy;
  /** Milliseconds kept free at the end of an invocation to flush outputs and answer Lambda (default 2000). */
  readonly reserveMs?: number;
  /** Default: JSON lines in Lambda's JSON log format at `AWS_LAMBDA_LOG_LEVEL` or `LOG_LEVEL`. Powertools' Logger and pino are taken as they are. */
  readonly logger?: LoggerInput;
}

/** The compiled route table plus dispatch settings; build once per container, at module scope. */
export interface Router {
  readonly table: RouteTable;
  readonly unmatched: UnmatchedPolicy;
  readonly concurrency: number;
  readonly reserveMs: number;
  readonly logger: Logger;
  /** True when some route or the unmatched policy can emit messages, so a publisher is required. */
  readonly needsPublisher: boolean;
}

/** Builds a router; throws {@link ConfigError} for duplicate or conflicting routes. */
export function createRouter(options: RouterOptions): Router {
  const unmatched = options.unmatched === undefined ? 'fail' : options.unmatched;
  const validUnmatched =
    unmatched === 'fail' ||
    unmatched === 'skip' ||
    (typeof unmatched === 'object' && unmatched !== null && typeof unmatched.deadLetter === 'string' && unmatched.deadLetter !== '');
  if (!validUnmatched) throw new ConfigError("Router option 'unmatched' must be 'fail', 'skip' or { deadLetter: '<topic>' }");
  const concurrency = options.concurrency ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError('Router option concurrency must be an integer ≥ 1');
  const reserveMs = options.reserveMs ?? 2_000;
  if (!(reserveMs >= 0)) throw new ConfigError('Router option reserveMs must be ≥ 0');
  const table = compileRouteTable(options.routes, options.retry);
  return {
    table,
    unmatched,
    concurrency,
    reserveMs,
    logger: options.logger ? toLogger(options.logger) : jsonLogger(),
    needsPublisher: table.publishes || typeof unmatched === 'object',
  };
}
