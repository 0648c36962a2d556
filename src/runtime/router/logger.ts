/** The logging surface handlers get; `toLogger` (log-adapter.ts) turns Powertools' Logger, `console` and pino into it. */
export interface Logger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
/** A log level name. */
export type LogLevel = keyof typeof LEVELS;

// Lambda's advanced logging controls name six levels; ours has four.
const LAMBDA_LEVELS: Record<string, LogLevel> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'error',
};

/**
 * The level the environment asks for: `AWS_LAMBDA_LOG_LEVEL` (set by Lambda's
 * advanced logging controls, so it wins) or else `LOG_LEVEL` (any case, also
 * `silent`), else `info`. Unknown names fall back to `info`.
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const lambda = env.AWS_LAMBDA_LOG_LEVEL?.toLowerCase();
  if (lambda && LAMBDA_LEVELS[lambda]) return LAMBDA_LEVELS[lambda];
  const own = env.LOG_LEVEL?.toLowerCase();
  if (own === 'silent') return 'silent';
  return (own && LAMBDA_LEVELS[own]) || 'info';
}

/**
 * One JSON line per entry on stdout, in the shape of Lambda's JSON log format
 * (`timestamp`, `level`, `message`, then `requestId` and the entry's
 * attributes), at or above `level` (default {@link logLevelFromEnv}). The
 * router logs coordinates and error descriptions, never keys or values.
 */
export function jsonLogger(level: LogLevel = logLevelFromEnv()): Logger {
  const threshold = LEVELS[level] ?? LEVELS.info;
  const write = (name: Exclude<LogLevel, 'silent'>) => (message: string, attributes?: Record<string, unknown>) => {
    if (LEVELS[name] < threshold) return;
    process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level: name.toUpperCase(), message, ...attributes })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Drops everything. */
export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
