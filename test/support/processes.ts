import { readdirSync, readFileSync } from 'node:fs';

/** Whether a process with this pid exists (signal 0 checks without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The state letter and process group of a /proc stat line (fields after the parenthesised command name). */
function statFields(path: string): { state: string; group: number } | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state ?? '', group: Number(group) };
  } catch {
    return undefined; // the process or thread has gone
  }
}

/** The pids whose process group is `group`. */
export function processGroupMembers(group: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => statFields(`/proc/${pid}/stat`)?.group === group);
}

/** Whether every thread of every process in the group is stopped (state T or t). */
export function isGroupStopped(group: number): boolean {
  const members = processGroupMembers(group);
  return (
    members.length > 0 &&
    members.every((pid) => {
      let tasks: string[];
      try {
        tasks = readdirSync(`/proc/${pid}/task`);
      } catch {
        return true; // gone
      }
      return tasks.every((task) => {
        const state = statFields(`/proc/${pid}/task/${task}/stat`)?.state;
        return state === undefined || state === 'T' || state === 't';
      });
    })
  );
}

/**
 * SIGSTOPs a process group and waits until every thread of it has stopped. `kill` returns once the signal is
 * queued: in a multi-threaded process one thread starts the group stop when it next runs and the others stop
 * after it, so on a busy machine a JVM's network and request threads can go on answering for a while (a CI run
 * under load saw a produce acknowledged 5 ms after the SIGSTOP).
 */
export async function freezeProcessGroup(group: number, timeoutMs = 30_000): Promise<void> {
  process.kill(-group, 'SIGSTOP');
  const deadline = Date.now() + timeoutMs;
  while (!isGroupStopped(group)) {
    if (Date.now() > deadline) throw new Error(`process group ${group} had not stopped after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
