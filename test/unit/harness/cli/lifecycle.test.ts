import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenForStopRequests, STOP_SIGNALS } from '../../../../src/harness/cli/lifecycle.js';

describe('listenForStopRequests', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(STOP_SIGNALS)('turns %s into a stop request (no exit), then removes its handlers', async (signal) => {
    const before = process.listenerCount(signal);
    const stop = listenForStopRequests();
    expect(process.listenerCount(signal)).toBe(before + 1);
    process.emit(signal, signal);
    await expect(stop.requested).resolves.toBe(signal);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.signal.reason).toBe(signal);
    stop.dispose();
    expect(process.listenerCount(signal)).toBe(before);
  });

  it('exits at once with 128 + the signal number on a second request', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const stop = listenForStopRequests();
    process.emit('SIGTERM', 'SIGTERM');
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGHUP', 'SIGHUP');
    expect(exit).toHaveBeenCalledWith(129);
    stop.dispose();
  });

  it('asks to stop when the parent process changes (npm gone, the CLI reparented)', async () => {
    const parent = process.ppid;
    const ppid = vi.spyOn(process, 'ppid', 'get').mockReturnValue(parent);
    const stop = listenForStopRequests({ parentPollMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stop.signal.aborted).toBe(false);
    ppid.mockReturnValue(1);
    await expect(stop.requested).resolves.toBe('parent exited');
    stop.dispose();
  });

  it('counts the parent’s exit once: polls during a slow stop do not force an exit', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const parent = process.ppid;
    const ppid = vi.spyOn(process, 'ppid', 'get').mockReturnValue(parent);
    const stop = listenForStopRequests({ parentPollMs: 10 });
    ppid.mockReturnValue(1);
    await expect(stop.requested).resolves.toBe('parent exited');
    await new Promise((resolve) => setTimeout(resolve, 100)); // ten more polls' worth while the command stops
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGINT', 'SIGINT'); // a real second request still exits at once
    expect(exit).toHaveBeenCalledWith(130);
    stop.dispose();
  });
});
