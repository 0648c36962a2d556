import type { Consumer } from 'kafkajs';

// Why joining is not enough: kafkajs emits GROUP_JOIN before it knows where to read. A partition without a committed
// offset gets its position (LATEST: the end of the log) only in the consumer's first fetch after the join, when it
// sends ListOffsets. A record produced between the join and that fetch is behind the position and never delivered,
// so "joined, now produce" lost records on a loaded machine. kafkajs starts one fetcher per broker in one synchronous
// loop, and each emits FETCH_START before its first await, so once any first fetch has ended, the set of first
// fetches is complete: when all of them have ended, every assigned partition has its position.

/** The consumer events that tell when a group member's starting positions are fixed. */
export interface PositionEvents {
  onJoin(listener: () => void): void;
  onFetchStart(listener: (nodeId: number) => void): void;
  onFetchEnd(listener: (nodeId: number) => void): void;
}

/** The {@link PositionEvents} of a kafkajs consumer (GROUP_JOIN, FETCH_START, FETCH). */
export function consumerPositionEvents(consumer: Consumer): PositionEvents {
  return {
    onJoin: (listener) => {
      consumer.on(consumer.events.GROUP_JOIN, () => listener());
    },
    onFetchStart: (listener) => {
      consumer.on(consumer.events.FETCH_START, (event) => listener(event.payload.nodeId));
    },
    onFetchEnd: (listener) => {
      consumer.on(consumer.events.FETCH, (event) => listener(event.payload.nodeId));
    },
  };
}

/**
 * Resolves once the member has joined its group and the first fetch from every broker after the first join has
 * ended, so its starting positions are fixed: a record produced after that is delivered, whatever the position.
 */
export function whenPositioned(events: PositionEvents): Promise<void> {
  return new Promise((resolve) => {
    let joined = false;
    let firstRoundClosed = false;
    const fetching = new Set<number>();
    events.onJoin(() => {
      joined = true;
    });
    events.onFetchStart((nodeId) => {
      if (joined && !firstRoundClosed) fetching.add(nodeId);
    });
    events.onFetchEnd((nodeId) => {
      if (!joined) return;
      firstRoundClosed = true;
      fetching.delete(nodeId);
      if (fetching.size === 0) resolve();
    });
  });
}
