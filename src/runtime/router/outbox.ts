import type { RecordCoordinates } from '../errors/index.js';
import type { KafkaRecord } from '../event/record.js';
import { aggregateLineageHeaders, type LineageMode, lineageHeaders } from './lineage.js';

/** A message on its way to Kafka, with where it came from. */
export interface OutboundMessage {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: ReadonlyArray<readonly [string, Buffer]>;
  /** The input record this message was produced from (lineage; the basis of its deterministic id). */
  readonly source: RecordCoordinates;
  /** Position among the outputs of the same source record, from 0. */
  readonly sequence: number;
  readonly kind: 'output' | 'dead-letter';
}

/**
 * Where an invocation's messages go, once, after every lane has finished.
 * The Kafka publisher and the in-memory publisher implement it; the router
 * only knows this interface.
 */
export interface MessagePublisher {
  /** Sends all messages, keeping the order of messages with the same topic and key; rejects if any is not acknowledged. */
  publish(messages: readonly OutboundMessage[], invocation: PublishInvocation): Promise<void>;
}

/** What a publisher may need to know about the invocation being flushed. */
export interface PublishInvocation {
  readonly bootstrapServers: readonly string[];
  readonly eventSourceArn: string | undefined;
}

/** A message as a handler stages it, before lineage is attached. */
export type StagedMessage = Omit<OutboundMessage, 'sequence' | 'source' | 'kind'>;

/**
 * Messages handlers produced during one attempt, each attributed to the input
 * record it came from. They join the invocation's outbox only if the attempt
 * succeeds, so a retried or failed record never leaks half its outputs.
 */
export class StagedOutputs {
  readonly messages: OutboundMessage[] = [];
  private readonly sequences = new Map<number, number>();
  private aggregates = 0;

  constructor(
    /** The route's name: part of every message id, so two routes reading one topic never share ids. */
    private readonly origin: string,
    private readonly lineage: LineageMode = 'headers',
  ) {}

  /** Stages an output of `source`; its sequence counts that record's outputs only, so the id does not depend on the batch around it. */
  add(message: StagedMessage, source: KafkaRecord): void {
    // Offsets identify records within the one partition an attempt covers.
    const sequence = this.sequences.get(source.offset) ?? 0;
    this.sequences.set(source.offset, sequence + 1);
    this.messages.push({
      topic: message.topic,
      key: message.key,
      value: message.value,
      headers: [...message.headers, ...lineageHeaders(this.origin, source, 'output', sequence, this.lineage)],
      kind: 'output',
      // Plain coordinates only: a message must not keep the inbound record (and its buffers) alive.
      source: { topic: source.topic, partition: source.partition, offset: source.offset },
      sequence,
    });
  }

  /** Stages an output of the whole batch `records` (ordered by, and kept or dropped with, its last record). */
  addAggregate(message: StagedMessage, records: readonly KafkaRecord[]): void {
    const last = records[records.length - 1] as KafkaRecord;
    const sequence = this.aggregates++;
    this.messages.push({
      topic: message.topic,
      key: message.key,
      value: message.value,
      headers: [...message.headers, ...aggregateLineageHeaders(this.origin, records, sequence, this.lineage)],
      kind: 'output',
      source: { topic: last.topic, partition: last.partition, offset: last.offset },
      sequence,
    });
  }
}
