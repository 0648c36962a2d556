import type { MessagePublisher, OutboundMessage } from '../router/outbox.js';

/** The label every dry-run line starts with, so it cannot be mistaken for a real publish. */
export const DRY_RUN_LABEL = '[dry run: not published, set KAFKA_BROKERS to publish]';

/**
 * A publisher that prints what it would publish, one line per message, instead
 * of sending it: what `serverless invoke local` uses when no cluster is set.
 */
export function createDryRunPublisher(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): MessagePublisher {
  return {
    async publish(messages: readonly OutboundMessage[]) {
      for (const message of messages) {
        const key = message.key === null ? 'null' : JSON.stringify(message.key.toString('utf8'));
        const value = message.value === null ? 'null' : message.value.toString('utf8');
        write(`${DRY_RUN_LABEL} ${message.kind === 'dead-letter' ? 'dead letter' : 'output'} → ${message.topic} key=${key} value=${value}`);
      }
    },
  };
}
