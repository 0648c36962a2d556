import { isUtf8 } from 'node:buffer';
import type { MessagePublisher, OutboundMessage } from '../router/outbox.js';

/** The label every dry-run line starts with, so it cannot be mistaken for a real publish. */
export const DRY_RUN_LABEL = '[dry run: not published, set KAFKA_BROKERS to publish]';

/** Control characters other than tab, line feed and carriage return: a terminal or `grep` would choke on them. */
function hasControlBytes(bytes: Buffer): boolean {
  // In UTF-8 they are single bytes: every byte of a multi-byte character is 0x80 or above.
  for (const byte of bytes) if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) return true;
  return false;
}

/** Text as text; anything else (Avro, Protobuf, NUL bytes, invalid UTF-8) as its length and base64. */
function shown(bytes: Buffer, quoted: boolean): string {
  if (isUtf8(bytes) && !hasControlBytes(bytes)) {
    const text = bytes.toString('utf8');
    return quoted ? JSON.stringify(text) : text;
  }
  return `<${bytes.length} bytes, base64 ${bytes.toString('base64')}>`;
}

/**
 * A publisher that prints what it would publish, one line per message, instead
 * of sending it: what `serverless invoke local` uses when no cluster is set.
 */
export function createDryRunPublisher(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): MessagePublisher {
  return {
    async publish(messages: readonly OutboundMessage[]) {
      for (const message of messages) {
        const key = message.key === null ? 'null' : shown(message.key, true);
        const value = message.value === null ? 'null' : shown(message.value, false);
        write(`${DRY_RUN_LABEL} ${message.kind === 'dead-letter' ? 'dead letter' : 'output'} → ${message.topic} key=${key} value=${value}`);
      }
    },
  };
}
