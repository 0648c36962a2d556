import type { RecordCoordinates } from '../errors/index.js';
import type { KafkaRecord } from '../event/record.js';
import { lineageHeaders } from './lineage.js';

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

/**
 * Messages a record's handler produced during one attempt. They join the
 * invocation's outbox only if the attempt succeeds, so a retried or failed
 * record never leaks half its outputs.
 */
export class StagedOutputs {
  readonly messages: OutboundMessage[] = [];
  private readonly sequences = new Map<string, number>();

  constructor(
    /** The route's name: part of every message id, so two routes reading one topic never share ids. */
    private readonly origin: string,
    private readonly defaultSource: KafkaRecord,
  ) {}

  add(message: Omit<OutboundMessage, 'sequence' | 'source'> & { source?: KafkaRecord }): void {
    const from = message.source ?? this.defaultSource;
    // Plain coordinates only: a message must not keep the inbound record (and its buffers) alive.
    const source: RecordCoordinates = { topic: from.topic, partition: from.partition, offset: from.offset };
    // Per-source counters: a batch route may attribute thousands of outputs to one record.
    const counter = `${source.topic}\u0000${source.partition}\u0000${source.offset}`;
    const sequence = this.sequences.get(counter) ?? 0;
    this.sequences.set(counter, sequence + 1);
    this.messages.push({
      topic: message.topic,
      key: message.key,
      value: message.value,
      headers: [...message.headers, ...lineageHeaders(this.origin, from, message.kind, sequence)],
      kind: message.kind,
      source,
      sequence,
    });
  }
}
