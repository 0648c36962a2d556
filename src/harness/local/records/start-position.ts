import { ConfigError } from '../../../runtime/errors/index.js';

/** Where reading a topic starts: `--from beginning|end|<offset>|<timestamp>`. */
export type StartPosition =
  | { readonly kind: 'beginning' }
  | { readonly kind: 'end' }
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'timestamp'; readonly ms: number };

/**
 * Parses `--from`: `beginning`, `end`, a whole number (an offset in every partition read), or a time
 * (ISO 8601 text such as `2026-01-01T09:00:00Z`, or `@<epoch ms>`).
 */
export function parseStartPosition(text: string): StartPosition {
  const value = text.trim();
  if (value === 'beginning' || value === 'earliest') return { kind: 'beginning' };
  if (value === 'end' || value === 'latest') return { kind: 'end' };
  if (/^\d+$/.test(value)) return { kind: 'offset', offset: Number(value) };
  if (/^@\d+$/.test(value)) return { kind: 'timestamp', ms: Number(value.slice(1)) };
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isFinite(ms)) return { kind: 'timestamp', ms };
  throw new ConfigError(`--from ${text}: expected beginning, end, an offset, an ISO time (2026-01-01T09:00:00Z) or @<epoch ms>`);
}

/** Parses a time option (`--since`, `--until`): ISO 8601 text or `@<epoch ms>`. */
export function parseTime(option: string, text: string): number {
  const position = (() => {
    try {
      return parseStartPosition(text);
    } catch {
      return undefined;
    }
  })();
  if (position?.kind !== 'timestamp')
    throw new ConfigError(`${option} ${text}: expected an ISO time (2026-01-01T09:00:00Z) or @<epoch ms>`);
  return position.ms;
}
