import type { Kafka } from 'kafkajs';
import { ConfigError } from '../../../runtime/errors/index.js';
import { parseKafkaEvent } from '../../../runtime/event/parse.js';
import type { KafkaEvent } from '../../../runtime/event/types.js';
import { buildKafkaEvent, type EventMessage } from '../../testing/build-event.js';
import { type SchemaRegistrySettings, schemaRegistryMode } from '../emulator/schema-registry-mode.js';
import type { StartPosition } from './start-position.js';
import { readTopic } from './topic-reader.js';

/** Options of {@link captureEvent}. */
export interface CaptureOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly from?: StartPosition;
  readonly partitions?: readonly number[];
  /** Records to capture (default 10). */
  readonly max?: number;
  /** `msk` (default: `aws:kafka` with a cluster ARN) or `self-managed` (`SelfManagedKafka`). */
  readonly source: 'msk' | 'self-managed';
  readonly clusterArn?: string;
  readonly bootstrapServers?: string;
  /**
   * The mapping's schema registry: records are handed over as Lambda would (SOURCE bytes or JSON text, with
   * `valueSchemaMetadata`), and those Lambda would not deliver are left out and counted.
   */
  readonly schemaRegistry?: SchemaRegistrySettings;
  readonly signal?: AbortSignal;
}

/** A captured event and what was left out of it. */
export interface CapturedEvent {
  readonly event: KafkaEvent;
  readonly records: number;
  /** Records Lambda would not deliver through the registry (SCHEMA_NOT_FOUND, DESERIALIZATION_ERROR), by reason. */
  readonly leftOut: readonly string[];
}

/**
 * Reads real records from a topic into the event Lambda's event source mapping would deliver (tombstones, null keys
 * and binary headers as they are), checked by the runtime's own event parser before it is returned.
 */
export async function captureEvent(options: CaptureOptions): Promise<CapturedEvent> {
  const messages: EventMessage[] = [];
  const leftOut: string[] = [];
  const throughRegistry = options.schemaRegistry ? schemaRegistryMode(options.schemaRegistry) : undefined;
  await readTopic({
    kafka: options.kafka,
    topic: options.topic,
    max: options.max ?? 10,
    ...(options.from ? { from: options.from } : {}),
    ...(options.partitions ? { partitions: options.partitions } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onRecord: async (record) => {
      if (!throughRegistry) {
        messages.push(record);
        return;
      }
      const verdict = await throughRegistry(record);
      if ('delivered' in verdict) messages.push(verdict.delivered);
      else leftOut.push(`${record.topic}-${record.partition}@${record.offset}: ${verdict.failure} (${verdict.reason})`);
    },
  });
  if (messages.length === 0) throw new ConfigError(`No records to capture from ${options.topic} (at the position asked for)`);
  const event =
    options.source === 'self-managed'
      ? buildKafkaEvent(messages, {
          source: 'self-managed',
          ...(options.bootstrapServers ? { bootstrapServers: options.bootstrapServers } : {}),
        })
      : buildKafkaEvent(messages, {
          source: 'msk',
          ...(options.clusterArn ? { clusterArn: options.clusterArn } : {}),
          ...(options.bootstrapServers ? { bootstrapServers: options.bootstrapServers } : {}),
        });
  // The file must be one our handler accepts: the same parser the Lambda entry runs.
  parseKafkaEvent(event);
  return { event, records: messages.length, leftOut };
}
