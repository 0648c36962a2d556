import { InvalidEventError } from '../../runtime/errors/index.js';
import { encodeHeaders, encodeValue, type HeaderInput, toBytes } from '../../runtime/event/encode.js';
import type { KafkaEvent, RawKafkaRecord, SchemaMetadata } from '../../runtime/event/types.js';

/** A plain message to put into a built event. */
export interface EventMessage {
  readonly topic: string;
  /** Default 0. */
  readonly partition?: number;
  /** Default: one past the previous record of the same partition (or `firstOffset`). */
  readonly offset?: number;
  readonly key?: string | Buffer | null;
  /** A string is sent as UTF-8, a Buffer as is, null as a tombstone, anything else as JSON. */
  readonly value: unknown;
  readonly headers?: HeaderInput;
  readonly timestamp?: number;
  readonly timestampType?: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  readonly keySchemaMetadata?: SchemaMetadata;
  readonly valueSchemaMetadata?: SchemaMetadata;
}

/** Options for {@link buildKafkaEvent}. */
export interface BuildEventOptions {
  /** `msk` (default) gives `aws:kafka` with a cluster ARN; `self-managed` gives `SelfManagedKafka`. */
  readonly source?: 'msk' | 'self-managed';
  readonly clusterArn?: string;
  readonly bootstrapServers?: string | readonly string[];
  /** The offset of the first record of each partition (default 0). */
  readonly firstOffset?: number;
  /** Timestamp of messages that give none (default `Date.now()`); pass one for reproducible events. */
  readonly timestamp?: number;
}

/** The ARN used when none is given: clearly a sample. */
export const SAMPLE_CLUSTER_ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/example-cluster/00000000-0000-0000-0000-000000000000-1';

/** The bootstrap servers used when none are given. */
export const SAMPLE_BOOTSTRAP_SERVERS = 'b-1.example-cluster.abc123.c1.kafka.us-east-1.amazonaws.com:9098';

/**
 * Builds the exact event Lambda's Kafka event source mapping would deliver for
 * these messages: grouped by `"<topic>-<partition>"` in arrival order, key and
 * value base64, headers as byte arrays. Tests, `events/`, the emulator and the
 * test broker all build events here, so they cannot drift apart.
 */
export function buildKafkaEvent(messages: readonly EventMessage[], options: BuildEventOptions = {}): KafkaEvent {
  const records: Record<string, RawKafkaRecord[]> = {};
  const nextOffset = new Map<string, number>();
  const timestamp = options.timestamp ?? Date.now();
  for (const [index, message] of messages.entries()) {
    const partition = message.partition ?? 0;
    const lane = `${message.topic}-${partition}`;
    const next = nextOffset.get(lane) ?? options.firstOffset ?? 0;
    const offset = message.offset ?? next;
    if (offset < next)
      throw new InvalidEventError(`messages[${index}].offset`, `offset ${offset} of ${lane} is not after the previous record's`);
    nextOffset.set(lane, offset + 1);
    const record: RawKafkaRecord = {
      topic: message.topic,
      partition,
      offset,
      timestamp: message.timestamp ?? timestamp,
      timestampType: message.timestampType ?? 'CREATE_TIME',
      key: message.key === undefined || message.key === null ? null : toBytes(message.key).toString('base64'),
      value: message.value === null ? null : encodeValue(message.value).toString('base64'),
      headers: encodeHeaders(message.headers),
      ...(message.keySchemaMetadata ? { keySchemaMetadata: message.keySchemaMetadata } : {}),
      ...(message.valueSchemaMetadata ? { valueSchemaMetadata: message.valueSchemaMetadata } : {}),
    };
    const laneRecords = records[lane];
    if (laneRecords) laneRecords.push(record);
    else records[lane] = [record];
  }
  const bootstrapServers =
    typeof options.bootstrapServers === 'string'
      ? options.bootstrapServers
      : (options.bootstrapServers?.join(',') ?? SAMPLE_BOOTSTRAP_SERVERS);
  if (options.source === 'self-managed') return { eventSource: 'SelfManagedKafka', bootstrapServers, records };
  return { eventSource: 'aws:kafka', eventSourceArn: options.clusterArn ?? SAMPLE_CLUSTER_ARN, bootstrapServers, records };
}
