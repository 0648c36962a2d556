import { type Command, InvalidArgumentError } from 'commander';

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
