import { DLT_HEADERS } from '../../../runtime/router/dead-letter.js';
import { lineageHeaderValue } from './lineage-view.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A record's headers as people read them: Spring's dead-letter headers by their meaning (partition and offset
 * as numbers, the timestamp as ISO time), lineage headers by theirs, others as UTF-8 text when they are valid
 * UTF-8 and `hex:…` otherwise. A repeated name gives an array.
 */
export function headerView(headers: Iterable<readonly [string, Buffer]>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [name, bytes] of headers) {
    const value = headerValue(name, bytes);
    const previous = view[name];
    if (!(name in view)) view[name] = value;
    else view[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return view;
}

/** One header's value by its meaning. */
export function headerValue(name: string, bytes: Buffer): unknown {
  if (name === DLT_HEADERS.originalPartition && bytes.length === 4) return bytes.readInt32BE(0);
  if (name === DLT_HEADERS.originalOffset && bytes.length === 8) return safeNumber(bytes.readBigInt64BE(0));
  if (name === DLT_HEADERS.originalTimestamp && bytes.length === 8) {
    const ms = Number(bytes.readBigInt64BE(0));
    return Number.isFinite(new Date(ms).getTime()) ? new Date(ms).toISOString() : ms;
  }
  const lineage = lineageHeaderValue(name, bytes);
  if (lineage !== undefined) return lineage;
  return textOrHex(bytes);
}

/** UTF-8 text when the bytes are valid UTF-8 (and printable), else `hex:…`. */
export function textOrHex(bytes: Buffer): string {
  try {
    const text = utf8.decode(bytes);
    // Control characters other than tab and newlines would garble a terminal.
    if (![...text].some(isControl)) return text;
  } catch {
    // not UTF-8
  }
  return `hex:${bytes.toString('hex')}`;
}

function safeNumber(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : String(value);
}

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return (code < 0x20 && char !== '\t' && char !== '\n' && char !== '\r') || code === 0x7f;
}
