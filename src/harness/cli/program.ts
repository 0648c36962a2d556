import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { KafkaRouterError } from '../../runtime/errors/index.js';
import { COMMANDS } from './commands/index.js';
import { CliError, EXIT } from './errors.js';

/** This package's version (package.json sits three folders up, from src/ and from dist/ alike). */
export const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The CLI: every command registered, errors thrown instead of exiting, so {@link runCli} chooses exit codes. */
export function createProgram(streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Command {
  const program = new Command('kafka-lambda-router')
    .description(
      'Kafka-triggered AWS Lambda functions, locally: a real broker, the event source mapping emulator, sample events, a new service',
    )
    .version(VERSION, '-v, --version')
    .configureOutput({ writeOut: (text) => streams.stdout.write(text), writeErr: (text) => streams.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)')
    // Options after a subcommand belong to it (`events capture --out …`), not to a parent with the same name.
    .enablePositionalOptions()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  program.addHelpText('after', '\nAlias: klr. Exit codes: 0 done, 1 the command failed, 2 wrong usage.');
  return program;
}

/** Runs the CLI on `argv` (as `process.argv`) and resolves with the exit code: 0 done, 1 failed, 2 wrong usage. */
export async function runCli(
  argv: readonly string[],
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  const program = createProgram(streams);
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv]);
    // A command that reports its own outcome (docs check: stale) sets the exit code instead of throwing.
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    // Commander has printed its own message (unknown command, missing argument…); --help and --version end here too.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    streams.stderr.write(`error: ${messageOf(error)}\n`);
    return error instanceof CliError ? error.exitCode : EXIT.failed;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof KafkaRouterError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
