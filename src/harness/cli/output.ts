/** Where a command writes: progress for people, results for people or (`--json`) for scripts. */
export interface Output {
  /** True with `--json`: stdout carries only the JSON result, everything else goes to stderr. */
  readonly json: boolean;
  /** A step under way. In a terminal one line redrawn in place; otherwise a plain line on stderr. */
  progress(line: string): void;
  /** A line of the command's result for people (stdout, or stderr under `--json`). */
  info(line: string): void;
  /** A machine-readable result: one JSON document per line on stdout (only under `--json`). */
  result(value: unknown): void;
  /** Ends a redrawn progress line, so what follows starts on a fresh line. */
  done(): void;
}

/** Streams an {@link Output} writes to (the process's, unless a test passes its own). */
export interface OutputStreams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Progress lines in a TTY, plain lines otherwise; `--json` keeps stdout for the result alone. */
export function createOutput(options: { json?: boolean; prefix?: string }, streams: OutputStreams = process): Output {
  const json = options.json === true;
  const tty = streams.stderr.isTTY === true && !process.env.CI;
  const prefix = options.prefix ?? 'kafka-lambda-router';
  let redrawn = false;
  const done = () => {
    if (redrawn) streams.stderr.write('\n');
    redrawn = false;
  };
  return {
    json,
    progress(line) {
      if (tty) {
        streams.stderr.write(`\r\x1b[2K… ${line}`);
        redrawn = true;
      } else streams.stderr.write(`[${prefix}] ${line}\n`);
    },
    info(line) {
      done();
      (json ? streams.stderr : streams.stdout).write(`${line}\n`);
    },
    result(value) {
      done();
      if (json) streams.stdout.write(`${JSON.stringify(value)}\n`);
    },
    done,
  };
}
