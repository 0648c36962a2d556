import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ReliabilitySuiteError } from './errors.js';
import { WORKER_CONFIG_ENV, type WorkerConfig, type WorkerMessage } from './worker-config.js';

const WORKER = fileURLToPath(new URL('../worker.ts', import.meta.url));

/** Everything the workers printed, kept for the secret scan and for failure messages. */
export class LogCapture {
  private readonly chunks: string[] = [];
  private bytes = 0;

  constructor(private readonly limitBytes = 64 * 1024 * 1024) {}

  add(text: string): void {
    if (this.bytes >= this.limitBytes) return;
    this.chunks.push(text);
    this.bytes += text.length;
  }

  text(): string {
    return this.chunks.join('');
  }

  tail(lines = 30): string {
    return this.text().split('\n').slice(-lines).join('\n');
  }
}

/** The last status a worker reported. */
export type WorkerStatus = Extract<WorkerMessage, { type: 'status' }>;

/** A running pipeline worker process. */
export interface WorkerHandle {
  readonly pid: number;
  /** Resolves once its emulator has joined the consumer group. */
  readonly ready: Promise<void>;
  readonly exited: Promise<number | string>;
  status(): WorkerStatus | undefined;
  /** Resolves at the start of the worker's next invocation. */
  nextInvocation(): Promise<void>;
  /** SIGKILL: the poller and the function die mid-whatever, as in a crash. */
  kill(): Promise<void>;
  /** Asks it to stop cleanly (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/** Starts `worker.ts` with `config` in its own Node process (tsx), printing into `logs`. */
export function startWorker(config: WorkerConfig, logs: LogCapture): WorkerHandle {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, [WORKER_CONFIG_ENV]: JSON.stringify(config), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (chunk: Buffer) => logs.add(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => logs.add(chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let last: WorkerStatus | undefined;
  let invocationWaiters: Array<() => void> = [];
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ReliabilitySuiteError(`The pipeline worker did not start within 60 s:\n${logs.tail()}`)),
      60_000,
    );
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new ReliabilitySuiteError(`The pipeline worker exited (${code}) before it was ready:\n${logs.tail()}`));
    });
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (message.type === 'status') last = message;
      else if (message.type === 'invoking') {
        const waiters = invocationWaiters;
        invocationWaiters = [];
        for (const wake of waiters) wake();
      }
    });
  });
  ready.catch(() => undefined);
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return {
    pid: child.pid ?? -1,
    ready,
    exited,
    status: () => last,
    nextInvocation: () => new Promise<void>((resolve) => invocationWaiters.push(resolve)),
    kill,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
