import { existsSync, readFileSync, statSync } from 'node:fs';
import { decodeBase64 } from '../../runtime/event/base64.js';
import { CliError } from './errors.js';

/** One value to send: decoded JSON for a codec to encode, or bytes sent as they are. */
export type ProduceValue = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'bytes'; readonly bytes: Buffer };

/** How the input is read. */
export interface InputOptions {
  /** `--file`: JSON lines, one message per non-empty line. */
  readonly file?: string;
  /** `--raw base64|hex`: each input is that encoding of the bytes to send (poison pills, foreign formats). */
  readonly raw?: 'base64' | 'hex';
  /** With a route: every input must be JSON (the codec encodes values, not text). */
  readonly strictJson: boolean;
}

/**
 * The values to send: from `--file` (JSON lines), else the `value` argument (`-` for standard input, a path to a
 * JSON file, or the text itself). A JSON array sends one message per element; text that is not JSON is sent as
 * UTF-8 unless a route's codec must encode it.
 */
export function readProduceValues(argument: string | undefined, options: InputOptions): ProduceValue[] {
  if (options.file !== undefined) {
    if (argument !== undefined) throw new CliError('USAGE', 'give the value argument or --file, not both');
    const lines = readFileSync(options.file, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    return lines.map((line, n) => (options.raw ? rawValue(line, options.raw, `--file line ${n + 1}`) : jsonLine(line, n + 1)));
  }
  if (argument === undefined) throw new CliError('USAGE', 'missing the value: give it as an argument, - for standard input, or --file');
  const text = readArgument(argument);
  if (options.raw) return [rawValue(text.trim(), options.raw, 'the value')];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (options.strictJson) throw new CliError('USAGE', "the value is not JSON: a route's codec encodes JSON values (use --raw for bytes)");
    return [{ kind: 'value', value: text }];
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).map((value) => ({ kind: 'value', value }));
}

function readArgument(input: string): string {
  if (input === '-') return readFileSync(0, 'utf8');
  if (existsSync(input) && statSync(input).isFile()) return readFileSync(input, 'utf8');
  return input;
}

function jsonLine(line: string, number: number): ProduceValue {
  try {
    return { kind: 'value', value: JSON.parse(line) };
  } catch {
    // The line itself stays out of the message: it may be a payload.
    throw new CliError('USAGE', `--file line ${number} is not JSON`);
  }
}

function rawValue(text: string, encoding: 'base64' | 'hex', what: string): ProduceValue {
  const bytes = encoding === 'hex' ? (/^(?:[0-9a-fA-F]{2})*$/.test(text) ? Buffer.from(text, 'hex') : undefined) : decodeBase64(text);
  if (!bytes) throw new CliError('USAGE', `${what} is not valid ${encoding}`);
  return { kind: 'bytes', bytes };
}

/** `name=value` header options as pairs (repeats kept). */
export function parseHeaderOptions(headers: readonly string[] | undefined): Array<[string, string]> {
  return (headers ?? []).map((header) => {
    const at = header.indexOf('=');
    if (at <= 0) throw new CliError('USAGE', `--header ${header}: expected name=value`);
    return [header.slice(0, at), header.slice(at + 1)];
  });
}
