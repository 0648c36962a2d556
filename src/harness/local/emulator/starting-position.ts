// Lambda's starting positions for Kafka (https://docs.aws.amazon.com/lambda/latest/dg/kafka-starting-positions.html):
// LATEST, TRIM_HORIZON, or AT_TIMESTAMP with StartingPositionTimestamp in Unix seconds
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html).
// A position applies only where the consumer group has no committed offset: "If the group already exists, Lambda
// ignores the StartingPosition and uses the committed offsets"
// (https://docs.aws.amazon.com/lambda/latest/dg/kafka-consumer-group-id.html).
//
// LATEST and TRIM_HORIZON are kafkajs's own reset (`fromBeginning`), which it applies only to partitions without a
// committed offset. AT_TIMESTAMP reads such partitions from the beginning and skips, committing them, the records
// before the first offset at the timestamp (the broker's ListOffsets answer), so a restart resumes where it was.
// Partitions that appear later start from their beginning (an assumption: AWS documents no rule for them).
import type { Admin } from 'kafkajs';
import { ConfigError } from '../../../runtime/errors/index.js';

/** `startingPosition` of an msk/kafka event. */
export type StartingPosition = 'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP';

/** How a poller starts: kafkajs's reset for partitions without offsets, and for AT_TIMESTAMP, the time. */
export interface StartingPlan {
  readonly fromBeginning: boolean;
  /** Epoch ms; set for AT_TIMESTAMP only. */
  readonly timestampMs?: number;
}

/**
 * The plan for a mapping's settings (TRIM_HORIZON when none is given, as osls defaults it). AT_TIMESTAMP without
 * a `startingPositionTimestamp` is refused, as osls and Lambda refuse it.
 */
export function startingPlan(settings: { readonly startingPosition?: string; readonly startingPositionTimestamp?: number }): StartingPlan {
  const position = settings.startingPosition ?? 'TRIM_HORIZON';
  if (position === 'LATEST') return { fromBeginning: false };
  if (position === 'TRIM_HORIZON') return { fromBeginning: true };
  if (position !== 'AT_TIMESTAMP') throw new ConfigError(`startingPosition ${position}: expected LATEST, TRIM_HORIZON or AT_TIMESTAMP`);
  const seconds = settings.startingPositionTimestamp;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)
    throw new ConfigError('startingPosition AT_TIMESTAMP needs startingPositionTimestamp (Unix time in seconds)');
  return { fromBeginning: true, timestampMs: Math.round(seconds * 1000) };
}

/** One partition's offset as kafkajs's admin reports it (a string; "-1" for none). */
export interface PartitionOffset {
  readonly partition: number;
  readonly offset: string;
}

/**
 * The first offset to deliver in each partition that has no committed offset, from the offsets at the timestamp
 * (kafkajs answers the end of the partition when no record is that recent). Partitions with a committed offset
 * are left out: the group's offsets win.
 */
export function timestampStarts(committed: readonly PartitionOffset[], atTimestamp: readonly PartitionOffset[]): Map<number, number> {
  const hasCommit = new Set(committed.filter((p) => Number(p.offset) >= 0).map((p) => p.partition));
  const starts = new Map<number, number>();
  for (const { partition, offset } of atTimestamp) if (!hasCommit.has(partition)) starts.set(partition, Number(offset));
  return starts;
}

/** Asks the broker where AT_TIMESTAMP starts each of `topic`'s partitions that the group has not committed. */
export async function fetchTimestampStarts(
  admin: Admin,
  groupId: string,
  topic: string,
  timestampMs: number,
): Promise<Map<number, number>> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const atTimestamp = await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
  return timestampStarts(committed?.partitions ?? [], atTimestamp);
}
