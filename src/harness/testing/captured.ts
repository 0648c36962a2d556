import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { RecordCoordinates } from '../../runtime/errors/index.js';
import type { OutboundMessage } from '../../runtime/router/outbox.js';
import { TestBrokerError } from './errors.js';

/** A message a handler published (or dead-lettered), decoded for assertions. */
export interface CapturedMessage {
  readonly topic: string;
  readonly key: string | null;
  /** JSON-decoded when the bytes are JSON, else the UTF-8 text; null for a tombstone. */
  readonly value: unknown;
  /** Header values as UTF-8 (last value wins for repeated names; see `raw` for all). */
  readonly headers: Readonly<Record<string, string>>;
  readonly kind: 'output' | 'dead-letter';
  readonly source: RecordCoordinates;
  readonly raw: OutboundMessage;
}

/** Decodes an outbound message for assertions. */
export function capture(message: OutboundMessage): CapturedMessage {
  const text = message.value?.toString('utf8');
  let value: unknown = text ?? null;
  if (text !== undefined) {
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
  }
  return {
    topic: message.topic,
    key: message.key?.toString('utf8') ?? null,
    value,
    headers: Object.fromEntries(message.headers.map(([name, bytes]) => [name, bytes.toString('utf8')])),
    kind: message.kind,
    source: message.source,
    raw: message,
  };
}

/** Validates captured values with a Standard Schema, so assertions get the schema's type. */
export function valuesWithSchema<S extends StandardSchemaV1>(
  messages: readonly CapturedMessage[],
  schema: S,
): Array<StandardSchemaV1.InferOutput<S>> {
  return messages.map((message) => {
    const result = schema['~standard'].validate(message.value);
    if (result instanceof Promise) throw new TestBrokerError('valuesWithSchema needs a synchronous schema');
    if (result.issues)
      throw new TestBrokerError(
        `A message on ${message.topic} does not match the schema: ${result.issues.map((i) => i.message).join('; ')}`,
      );
    return result.value;
  });
}
