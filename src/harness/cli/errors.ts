import { KafkaRouterError } from '../../runtime/errors/index.js';

/** Exit codes of the CLI: 0 done, 1 the command failed, 2 it was called wrongly (unknown command, bad arguments). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A CLI command could not do its job; `USAGE` errors exit with 2, the others with 1. */
export class CliError extends KafkaRouterError {
  override name = 'CliError';

  constructor(code: 'USAGE' | 'TOPIC_NOT_FOUND' | 'CONFIG' | 'PIPELINE_UNSETTLED', message: string, options: { cause?: unknown } = {}) {
    super(code, message, { permanent: true, cause: options.cause });
  }

  /** The process exit code this error ends the CLI with. */
  get exitCode(): number {
    return this.code === 'USAGE' ? EXIT.usage : EXIT.failed;
  }
}
