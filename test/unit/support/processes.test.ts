import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freezeProcessGroup, isGroupStopped, processGroupMembers } from '../../support/processes.js';

describe('freezeProcessGroup', () => {
  it('returns only once every thread of the group is stopped, and the group runs again after SIGCONT', async () => {
    // A multi-threaded process (node: libuv and V8 threads) that keeps a worker thread busy, in a group of its own.
    const child = spawn(
      process.execPath,
      ['-e', "new (require('node:worker_threads').Worker)('for(;;){}', { eval: true }); setInterval(() => {}, 1000);"],
      { detached: true, stdio: 'ignore' },
    );
    const group = child.pid as number;
    try {
      await expect.poll(() => processGroupMembers(group), { timeout: 10_000 }).toEqual([group]);
      expect(isGroupStopped(group)).toBe(false);
      await freezeProcessGroup(group);
      expect(isGroupStopped(group)).toBe(true);
      process.kill(-group, 'SIGCONT');
      await expect.poll(() => isGroupStopped(group), { timeout: 10_000 }).toBe(false);
    } finally {
      process.kill(-group, 'SIGKILL');
    }
  });
});
