import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Runs the JVM under a tiny `sh` guardian that
 *  - terminates the JVM when its stdin closes, which happens when our process
 *    exits for any reason, even SIGKILL: no orphaned broker survives a killed test run;
 *  - forwards SIGTERM/SIGINT to the JVM so Kafka's shutdown hook runs;
 *  - removes the data directory once the JVM is gone (unless it is kept: an
 *    empty `data_dir` argument).
 */
const GUARDIAN = `
data_dir=$1; shift
exec 3<&0
"$@" </dev/null &
jvm=$!
trap 'kill -TERM "$jvm" 2>/dev/null' TERM INT HUP
( cat <&3 >/dev/null; kill -TERM "$jvm" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$jvm"; status=$?
while kill -0 "$jvm" 2>/dev/null; do wait "$jvm"; status=$?; done
kill "$watcher" 2>/dev/null
[ -n "$data_dir" ] && rm -rf "$data_dir"
exit "$status"
`;

/** A JVM process with a bounded tail of its output, for error messages. */
export interface GuardedProcess {
  readonly pid: number;
  /** The last lines the process printed (stdout and stderr interleaved). */
  logTail(): string;
  /** Resolves with the exit code (or signal name) once the guardian has exited. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL of the whole process group after `graceMs`. */
  stop(graceMs: number): Promise<void>;
  /** SIGKILL of the whole process group at once: a crash, no shutdown hook runs. */
  kill(): Promise<void>;
}

/** Spawns `command args` under the guardian; `dataDir` is deleted when it exits unless `keepData`. */
export function spawnGuarded(
  command: string,
  args: string[],
  dataDir: string,
  options: { keepData?: boolean; tailLines?: number } = {},
): GuardedProcess {
  const tailLines = options.tailLines ?? 60;
  const removeOnExit = options.keepData ? '' : dataDir;
  const child: ChildProcessWithoutNullStreams = spawn('sh', ['-c', GUARDIAN, 'kafka-guardian', removeOnExit, command, ...args], {
    detached: true, // own process group, so SIGKILL can reach the JVM too
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > tailLines) lines.splice(0, lines.length - tailLines);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // The guardian must not keep our event loop alive, and must not outlive us.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as { unref?: () => void }).unref?.();

  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.on('error', () => resolve('spawn-error'));
  });
  let stopping: Promise<void> | undefined;
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  };

  return {
    pid: child.pid ?? -1,
    logTail: () => [...lines, partial].filter(Boolean).join('\n'),
    exited,
    stop(graceMs) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        // Hold the event loop open until the broker is really gone (everything else is unref'd).
        child.ref();
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(resolve, graceMs, 'timeout');
        });
        const outcome = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        if (outcome === 'timeout' && child.pid) {
          killGroup();
          await exited;
          if (removeOnExit) rmSync(dataDir, { recursive: true, force: true });
        }
        child.stdin.destroy();
      })();
      return stopping;
    },
    kill() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.ref();
        killGroup();
        await exited;
        await groupGone(child.pid ?? -1, 10_000);
        if (removeOnExit) rmSync(dataDir, { recursive: true, force: true });
        child.stdin.destroy();
      })();
      return stopping;
    },
  };
}

/** Waits until no process of group `pgid` is left (a SIGKILLed JVM takes a moment to be reaped). */
async function groupGone(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
