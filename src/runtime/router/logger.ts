/** The logging surface handlers get. Powertools' Logger fits it, as does `console`. */
export interface Logger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
/** A log level name. */
export type LogLevel = keyof typeof LEVELS;

/**
 * One JSON line per entry on stdout (what CloudWatch parses), at or above
 * `level` (default `LOG_LEVEL` or `info`). The router logs coordinates and
 * error descriptions, never keys or values.
 */
export function jsonLogger(level: LogLevel = (process.env.LOG_LEVEL?.toLowerCase() as LogLevel | undefined) ?? 'info'): Logger {
  const threshold = LEVELS[level] ?? LEVELS.info;
  const write = (name: Exclude<LogLevel, 'silent'>) => (message: string, attributes?: Record<string, unknown>) => {
    if (LEVELS[name] < threshold) return;
    process.stdout.write(`${JSON.stringify({ level: name.toUpperCase(), message, ...attributes, timestamp: new Date().toISOString() })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Drops everything. */
export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
