import { describe, expect, it } from 'vitest';
import { type PositionEvents, whenPositioned } from '../../../../../src/harness/local/emulator/positioned.js';

// A consumer's events, fired by hand in the order kafkajs fires them.
function fakeConsumer() {
  const listeners = { join: [] as Array<() => void>, start: [] as Array<(n: number) => void>, end: [] as Array<(n: number) => void> };
  const events: PositionEvents = {
    onJoin: (l) => {
      listeners.join.push(l);
    },
    onFetchStart: (l) => {
      listeners.start.push(l);
    },
    onFetchEnd: (l) => {
      listeners.end.push(l);
    },
  };
  return {
    events,
    join: () => {
      for (const l of listeners.join) l();
    },
    fetchStart: (node: number) => {
      for (const l of listeners.start) l(node);
    },
    fetchEnd: (node: number) => {
      for (const l of listeners.end) l(node);
    },
  };
}

// Whether the promise has resolved after the microtasks queued so far.
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('whenPositioned', () => {
  it('waits past the join until the first fetch has ended (the join comes before the LATEST position is read)', async () => {
    const consumer = fakeConsumer();
    const positioned = whenPositioned(consumer.events);
    consumer.join();
    expect(await settled(positioned)).toBe(false);
    consumer.fetchStart(1);
    expect(await settled(positioned)).toBe(false);
    consumer.fetchEnd(1);
    expect(await settled(positioned)).toBe(true);
  });

  it('waits for the first fetch from every broker, not just the quickest', async () => {
    const consumer = fakeConsumer();
    const positioned = whenPositioned(consumer.events);
    consumer.join();
    for (const node of [1, 2, 3]) consumer.fetchStart(node);
    consumer.fetchEnd(2);
    // broker 2's fetcher goes round again before the others answer: its second fetch is not waited for
    consumer.fetchStart(2);
    consumer.fetchEnd(1);
    expect(await settled(positioned)).toBe(false);
    consumer.fetchEnd(3);
    expect(await settled(positioned)).toBe(true);
  });

  it('keeps waiting for a broker whose first fetch failed until one of its fetches ends', async () => {
    const consumer = fakeConsumer();
    const positioned = whenPositioned(consumer.events);
    consumer.join();
    consumer.fetchStart(1);
    consumer.fetchStart(2);
    consumer.fetchEnd(1); // broker 2's first fetch threw: no end event
    consumer.fetchStart(1);
    consumer.fetchStart(2);
    expect(await settled(positioned)).toBe(false);
    consumer.fetchEnd(2);
    expect(await settled(positioned)).toBe(true);
  });

  it('ignores fetch events before the join', async () => {
    const consumer = fakeConsumer();
    const positioned = whenPositioned(consumer.events);
    consumer.fetchStart(1);
    consumer.fetchEnd(1);
    expect(await settled(positioned)).toBe(false);
    consumer.join();
    consumer.fetchStart(1);
    consumer.fetchEnd(1);
    expect(await settled(positioned)).toBe(true);
  });
});
