import { describeError, formatCoordinates } from '../errors/format.js';
import type { KafkaRouterFailure } from '../errors/index.js';
import type { Lane } from '../event/parse.js';
import type { InboundRecord } from '../event/record.js';
import { deadLetterMessage } from './dead-letter.js';
import type { LaneReport, LaneScope } from './lane.js';
import type { OutboundMessage } from './outbox.js';
import type { CompiledRoute } from './table.js';

/** Record dispositions. */
export const HANDLED = 1;
export const DEAD_LETTERED = 2;
export const SKIPPED = 3;

/**
 * Per-record dispositions of a lane. A record that reaches the report without
 * one (which would be a router bug) becomes the lane's failure point, so it is
 * redelivered rather than silently dropped.
 */
export class LaneTally {
  position = 0;
  private readonly dispositions: Uint8Array;
  private failure: KafkaRouterFailure | undefined;
  private failedFrom: number;
  private readonly messages: OutboundMessage[] = [];

  constructor(private readonly lane: Lane) {
    this.dispositions = new Uint8Array(lane.records.length);
    this.failedFrom = lane.records.length;
  }

  mark(index: number, disposition: number): void {
    this.dispositions[index] = disposition;
  }

  emit(messages: readonly OutboundMessage[]): void {
    for (const message of messages) this.messages.push(message);
  }

  handle(index: number, outputs: readonly OutboundMessage[]): void {
    this.dispositions[index] = HANDLED;
    this.emit(outputs);
  }

  skip(index: number, record: InboundRecord, scope: LaneScope, reason: string): void {
    this.dispositions[index] = SKIPPED;
    scope.logger.debug('record skipped', { at: formatCoordinates(record), reason });
  }

  deadLetter(index: number, message: OutboundMessage): void {
    this.dispositions[index] = DEAD_LETTERED;
    this.messages.push(message);
  }

  /** Dead-letters the record if its route has a topic for it (true), else fails the lane here (false). */
  deadLetterOrFail(index: number, record: InboundRecord, compiled: CompiledRoute, error: unknown, scope: LaneScope): boolean {
    const topic = compiled.deadLetterTopic(record.topic);
    if (!topic) {
      this.failAt(index, error);
      return false;
    }
    this.deadLetter(index, deadLetterMessage(topic, record, error, compiled.name));
    scope.logger.warn('record dead-lettered', {
      route: compiled.name,
      at: formatCoordinates(record),
      deadLetterTopic: topic,
      error: describeError(error),
    });
    return true;
  }

  failAt(index: number, error: unknown): void {
    if (index >= this.failedFrom) return;
    const record = this.lane.records[index] as InboundRecord;
    this.failure = { at: { topic: record.topic, partition: record.partition, offset: record.offset }, error };
    this.failedFrom = index;
  }

  report(): LaneReport {
    const { lane, dispositions } = this;
    const unaccounted = dispositions.indexOf(0);
    if (unaccounted !== -1 && unaccounted < this.failedFrom) {
      this.failAt(
        unaccounted,
        new Error(`internal: record ${formatCoordinates(lane.records[unaccounted] as InboundRecord)} was neither handled nor failed`),
      );
    }
    let handled = 0;
    let deadLettered = 0;
    let skipped = 0;
    for (let i = 0; i < this.failedFrom; i++) {
      const disposition = dispositions[i];
      if (disposition === HANDLED) handled++;
      else if (disposition === DEAD_LETTERED) deadLettered++;
      else skipped++;
    }
    // Nothing at or after the failed offset is committed: Lambda delivers those records again.
    const messages = this.failure
      ? this.messages.filter((m) => m.source.offset < (this.failure as KafkaRouterFailure).at.offset)
      : this.messages;
    return {
      id: lane.id,
      topic: lane.topic,
      partition: lane.partition,
      records: lane.records.length,
      handled,
      deadLettered,
      skipped,
      failed: lane.records.length - this.failedFrom,
      failure: this.failure,
      messages,
    };
  }
}
