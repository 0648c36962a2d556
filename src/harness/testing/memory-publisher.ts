import type { MessagePublisher, OutboundMessage, PublishInvocation } from '../../runtime/router/outbox.js';

/** A publisher that keeps every flushed message in memory: for tests, local invokes and benchmarks. */
export interface MemoryPublisher extends MessagePublisher {
  /** Every message of every flush, in flush order. */
  readonly messages: readonly OutboundMessage[];
  /** How many times `publish` was called. */
  readonly flushes: number;
  /** Messages sent to one topic. */
  topic(name: string): OutboundMessage[];
  clear(): void;
}

/** Creates an in-memory publisher; `fail` makes the next flushes reject (to test flush failures). */
export function createMemoryPublisher(options: { fail?: () => Error | undefined } = {}): MemoryPublisher {
  const messages: OutboundMessage[] = [];
  let flushes = 0;
  return {
    get messages() {
      return messages;
    },
    get flushes() {
      return flushes;
    },
    async publish(batch: readonly OutboundMessage[], _invocation: PublishInvocation) {
      const failure = options.fail?.();
      if (failure) throw failure;
      flushes++;
      for (const message of batch) messages.push(message);
    },
    topic: (name) => messages.filter((m) => m.topic === name),
    clear() {
      messages.length = 0;
      flushes = 0;
    },
  };
}
