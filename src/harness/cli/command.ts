import { type Command, InvalidArgumentError } from 'commander';
import { parseTraceExport, type TraceExport } from '../local/trace-target.js';

/** Adds one command (its arguments, options, help and action) to the program. */
export type CommandRegistration = (program: Command) => void;

/** Parses a whole number option (`--count 3`), rejecting anything else as a usage error. */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min)
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got '${value}'`);
    return parsed;
  };
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses `--traces` (`console`, `otlp`, `otlp=<url>`), rejecting anything else as a usage error. */
export function traceExport(value: string): TraceExport {
  const parsed = parseTraceExport(value);
  if (!parsed) throw new InvalidArgumentError(`expected console, otlp or otlp=<http(s) url>, got '${value}'`);
  return parsed;
}
