import { ConfigError } from '../errors/index.js';
import type { Codec } from '../event/codec.js';
import { encodeValue, type HeaderInput } from '../event/encode.js';
import type { KafkaRecord } from '../event/record.js';

/** A downstream topic a route publishes to, and how a value becomes a message there. */
export interface PublisherSpec<TTopic extends string = string> {
  readonly topic: TTopic;
  /** Encodes the (mapped) value; JSON by default. */
  readonly codec?: Codec<unknown>;
  /** Turns the handler's value into the message value for this topic (`source` is undefined for a batch aggregate). */
  readonly map?: (value: never, source: KafkaRecord) => unknown;
  /** The message key; by default the input record's key, so per-key order carries over. */
  readonly key?: (value: never, source: KafkaRecord) => string | Buffer | null;
  /** Extra headers for this topic's messages. */
  readonly headers?: (value: never, source: KafkaRecord) => HeaderInput;
  /** Whether a returned value goes to this topic (default: every returned value goes to every publisher). */
  readonly when?: (value: never, source: KafkaRecord) => boolean;
}

/** Options of {@link to}. */
export interface PublisherOptions<TValue> {
  readonly codec?: Codec<unknown>;
  readonly map?: (value: TValue, source: KafkaRecord) => unknown;
  readonly key?: (value: TValue, source: KafkaRecord) => string | Buffer | null;
  readonly headers?: (value: TValue, source: KafkaRecord) => HeaderInput;
  /** Send a returned value here only when this holds: `to('orders.rejected', { when: (r) => !r.ok })`. */
  readonly when?: (value: TValue, source: KafkaRecord) => boolean;
}

/** Declares a downstream topic: `publishes: [to('orders.validated')]`. */
export function to<const TTopic extends string, TValue = unknown>(
  topic: TTopic,
  options: PublisherOptions<TValue> = {},
): PublisherSpec<TTopic> {
  if (typeof topic !== 'string' || topic === '') throw new ConfigError('to(topic): a publisher needs a topic name');
  return { topic, ...(options as PublisherOptions<never>) } as PublisherSpec<TTopic>;
}

/** The encoded value for a publisher's message. */
export function encodeForPublisher(spec: PublisherSpec, value: unknown, source: KafkaRecord | undefined): Buffer | null {
  const mapped = spec.map ? spec.map(value as never, source as KafkaRecord) : value;
  if (mapped === null) return null;
  if (spec.codec) {
    const encoded = spec.codec.encode(mapped as never, { topic: spec.topic, part: 'value' });
    return typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
  }
  return encodeValue(mapped);
}
