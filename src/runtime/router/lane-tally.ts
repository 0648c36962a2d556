import type { KafkaRouterFailure } from '../errors/index.js';
import type { Lane } from '../event/parse.js';
import type { OutboundMessage } from './outbox.js';

/** Record dispositions: what happened to each record of a lane. */
export const PENDING = 0;
export const HANDLED = 1;
export const DEAD_LETTERED = 2;
export const SKIPPED = 3;
/** A record disposition. */
export type Disposition = typeof PENDING | typeof HANDLED | typeof DEAD_LETTERED | typeof SKIPPED;

/** How one topic-partition went. `handled + deadLettered + skipped + failed === records`. */
export interface LaneReport {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly records: number;
  readonly handled: number;
  readonly deadLettered: number;
  readonly skipped: number;
  /** Records from the first failure on: Lambda delivers them again. */
  readonly failed: number;
  readonly failure: KafkaRouterFailure | undefined;
  /** Outputs and dead letters of the records before the failure point, in offset order. */
  readonly messages: readonly OutboundMessage[];
}

/**
 * The outcomes of a lane's records, and nothing else: a disposition and the
 * messages of each record, and the failure point. The lane decides; the tally
 * only records, and turns that into a report.
 */
export interface LaneTally {
  readonly dispositions: Uint8Array;
  /** Messages by record index; written once, when the record's disposition is. */
  readonly messages: Array<readonly OutboundMessage[] | undefined>;
  /** Index of the first failed record (the lane's length when none failed). */
  failedFrom: number;
  failure: KafkaRouterFailure | undefined;
}

/** An empty tally for a lane. */
export function newTally(lane: Lane): LaneTally {
  return {
    dispositions: new Uint8Array(lane.records.length),
    messages: new Array(lane.records.length),
    failedFrom: lane.records.length,
    failure: undefined,
  };
}

/** Records a record's disposition and the messages it produced (outputs, or its dead letter). */
export function settle(tally: LaneTally, index: number, disposition: Disposition, messages?: readonly OutboundMessage[]): void {
  tally.dispositions[index] = disposition;
  if (messages && messages.length > 0) tally.messages[index] = messages;
}

/** Records that the lane fails at record `index` (the earliest failure wins). */
export function failAt(tally: LaneTally, lane: Lane, index: number, error: unknown): void {
  if (index >= tally.failedFrom) return;
  const record = lane.records[index];
  if (!record) return;
  tally.failedFrom = index;
  tally.failure = { lane: lane.id, at: { topic: record.topic, partition: record.partition, offset: record.offset }, error };
}

/** The first record before the failure point with no disposition, if any (a router bug the lane must turn into a failure). */
export function firstUnsettled(tally: LaneTally): number {
  const index = tally.dispositions.indexOf(PENDING);
  return index !== -1 && index < tally.failedFrom ? index : -1;
}

/**
 * The lane's report. Only records before the failure point count as done,
 * and only their messages leave the lane: Lambda delivers the rest again.
 */
export function toReport(tally: LaneTally, lane: Lane): LaneReport {
  let handled = 0;
  let deadLettered = 0;
  let skipped = 0;
  const messages: OutboundMessage[] = [];
  for (let i = 0; i < tally.failedFrom; i++) {
    const disposition = tally.dispositions[i];
    if (disposition === HANDLED) handled++;
    else if (disposition === DEAD_LETTERED) deadLettered++;
    else skipped++;
    const produced = tally.messages[i];
    if (produced) for (const message of produced) messages.push(message);
  }
  return {
    id: lane.id,
    topic: lane.topic,
    partition: lane.partition,
    records: lane.records.length,
    handled,
    deadLettered,
    skipped,
    failed: lane.records.length - tally.failedFrom,
    failure: tally.failure,
    messages,
  };
}
