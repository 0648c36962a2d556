import { InvalidEventError } from '../errors/index.js';
import { describeJson, isJsonObject } from './describe-json.js';
import { type LaneCoordinates, laneCoordinates, parseLaneRecords } from './parse-record.js';
import type { InboundRecord } from './record.js';
import type { KafkaEvent } from './types.js';

/** One topic-partition's records, in offset order, as one unit of ordered work. */
export interface Lane {
  /** `"<topic>-<partition>"` exactly as Lambda sent it: the key it expects back in `batchItemFailures`. */
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly InboundRecord[];
}

/** A validated event: its source, and its records grouped into lanes. */
export interface ParsedKafkaEvent {
  /** `aws:kafka` (MSK) or `SelfManagedKafka`; the older `aws:SelfManagedKafka` spelling is read as the latter. */
  readonly eventSource: KafkaEvent['eventSource'];
  readonly eventSourceArn: string | undefined;
  readonly bootstrapServers: readonly string[];
  readonly lanes: readonly Lane[];
  readonly recordCount: number;
}

// A Map, not an object literal: a lookup must not find inherited names such as `constructor`.
const EVENT_SOURCES: ReadonlyMap<string, KafkaEvent['eventSource']> = new Map([
  ['aws:kafka', 'aws:kafka'],
  ['SelfManagedKafka', 'SelfManagedKafka'],
  // Powertools for Python's samples and some self-managed logs use this spelling.
  ['aws:SelfManagedKafka', 'SelfManagedKafka'],
]);

/**
 * Validates a Lambda Kafka event once and groups its records into lanes.
 *
 * Event-level defects (not a Kafka event, `records` not an object, a lane that
 * is not an array) throw an {@link InvalidEventError} naming the path: nothing
 * can be attributed to a partition. A defect inside one record (a bad offset,
 * header or field) does not throw: the record carries it as `defect` and its
 * lane treats it like a poison pill, so one bad record never stalls the other
 * partitions. Content (base64, JSON, schema) is checked later, per record.
 */
export function parseKafkaEvent(input: unknown): ParsedKafkaEvent {
  if (!isJsonObject(input)) throw new InvalidEventError('$', `expected an object, got ${describeJson(input)}`);
  const { eventSourceArn, bootstrapServers, records } = input;
  const eventSource = typeof input.eventSource === 'string' ? EVENT_SOURCES.get(input.eventSource) : undefined;
  if (!eventSource) {
    throw new InvalidEventError('$.eventSource', `expected "aws:kafka" or "SelfManagedKafka", got ${describeJson(input.eventSource)}`);
  }
  if (eventSource === 'aws:kafka' && typeof eventSourceArn !== 'string') {
    throw new InvalidEventError('$.eventSourceArn', `an MSK event needs the cluster ARN, got ${describeJson(eventSourceArn)}`);
  }
  if (bootstrapServers !== undefined && typeof bootstrapServers !== 'string') {
    throw new InvalidEventError('$.bootstrapServers', `expected a comma-separated string, got ${describeJson(bootstrapServers)}`);
  }
  if (!isJsonObject(records))
    throw new InvalidEventError('$.records', `expected an object keyed by "<topic>-<partition>", got ${describeJson(records)}`);

  const lanes: Lane[] = [];
  let recordCount = 0;
  for (const id of Object.keys(records)) {
    const list = records[id];
    const path = `$.records[${JSON.stringify(id)}]`;
    if (!Array.isArray(list)) throw new InvalidEventError(path, `expected an array of records, got ${describeJson(list)}`);
    if (list.length === 0) continue;
    const parsed = parseLaneRecords(list, path, id);
    // A lane that is not "<topic>-<partition>" takes its first record's coordinates (the list is not empty).
    const coordinates: LaneCoordinates = laneCoordinates(id) ?? (parsed[0] as InboundRecord);
    lanes.push({ id, topic: coordinates.topic, partition: coordinates.partition, records: parsed });
    recordCount += parsed.length;
  }
  return {
    eventSource,
    eventSourceArn: typeof eventSourceArn === 'string' ? eventSourceArn : undefined,
    bootstrapServers: typeof bootstrapServers === 'string' ? bootstrapServers.split(',').filter(Boolean) : [],
    lanes,
    recordCount,
  };
}
