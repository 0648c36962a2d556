import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userStateDir } from './user-dirs.js';

// Where `dev` and `kafka` leave the running broker's address for `produce` in other terminals, with the
// owner's pid: an address left behind by a process that died (even by SIGKILL) is ignored.

const stateFile = (env: NodeJS.ProcessEnv) => join(userStateDir(env), 'running-broker.json');

/** Records the running dev broker's address, owned by this process. */
export function saveDevBrokers(brokers: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  mkdirSync(userStateDir(env), { recursive: true });
  writeFileSync(stateFile(env), `${JSON.stringify({ brokers, pid: process.pid })}\n`);
}

/** The running dev broker's address, if a `dev` or `kafka` process that recorded one is still alive. */
export function readDevBrokers(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  let state: { brokers?: unknown; pid?: unknown };
  try {
    state = JSON.parse(readFileSync(stateFile(env), 'utf8'));
  } catch {
    return undefined; // none recorded (or unreadable: the same for the caller)
  }
  if (typeof state.pid !== 'number' || !isAlive(state.pid) || !Array.isArray(state.brokers)) return undefined;
  const brokers = state.brokers.filter((broker): broker is string => typeof broker === 'string' && broker.length > 0);
  return brokers.length > 0 ? brokers : undefined;
}

/** Forgets the dev broker (on shutdown), unless another process has recorded its own since. */
export function clearDevBrokers(env: NodeJS.ProcessEnv = process.env): void {
  try {
    const state = JSON.parse(readFileSync(stateFile(env), 'utf8')) as { pid?: unknown };
    if (state.pid !== process.pid) return;
  } catch {
    return; // nothing recorded
  }
  rmSync(stateFile(env), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
