import type { Kafka } from 'kafkajs';
import type { EventMessage } from '../../testing/build-event.js';
import { type DecodedParts, filterStep } from './filter-step.js';
import { fetchTimestampStarts, startingPlan } from './starting-position.js';
import type { EventSourceSettings, FunctionStats } from './types.js';

/**
 * Which consumed records Lambda's poller would put into batches: none before the starting position (AT_TIMESTAMP,
 * where the group had no offset), none its filter criteria leave out. The rest are batched and invoked; the
 * poller commits the ones left out as it commits delivered records.
 */
export interface RecordAdmission {
  /** kafkajs's reset for partitions without a committed offset (LATEST: false). */
  readonly fromBeginning: boolean;
  /** Asks the broker where AT_TIMESTAMP starts, before the consumer joins. */
  prepare(kafka: Kafka, groupId: string): Promise<void>;
  /** True for a record left out before batching (counted in `filteredOut` when filters left it out). */
  leftOut(message: EventMessage & { readonly partition: number; readonly offset: number }): boolean;
  /** With a schema registry, filters read the decoded record: true for one they leave out. */
  filteredAfterDecoding(message: EventMessage, decoded: DecodedParts): boolean;
}

/** The admission of one event source mapping; a bad starting position or filter pattern throws a ConfigError here. */
export function recordAdmission(source: EventSourceSettings, stats: FunctionStats): RecordAdmission {
  const plan = startingPlan(source);
  const keep = filterStep(source);
  const decodedFirst = source.schemaRegistry !== undefined;
  let starts = new Map<number, number>();
  const filteredOut = (message: EventMessage, decoded?: DecodedParts) => {
    if (!keep || keep(message, decoded)) return false;
    stats.filteredOut++;
    return true;
  };
  return {
    fromBeginning: plan.fromBeginning,
    async prepare(kafka, groupId) {
      if (plan.timestampMs === undefined) return;
      const admin = kafka.admin();
      await admin.connect();
      try {
        starts = await fetchTimestampStarts(admin, groupId, source.topic, plan.timestampMs);
      } finally {
        await admin.disconnect();
      }
    },
    leftOut(message) {
      const start = starts.get(message.partition);
      if (start !== undefined && message.offset < start) return true;
      return !decodedFirst && filteredOut(message);
    },
    filteredAfterDecoding: (message, decoded) => filteredOut(message, decoded),
  };
}
