import type { Kafka } from 'kafkajs';
import { describeError } from '../../../runtime/errors/format.js';
import { readDeadLetterHeaders } from '../../testing/dead-letter-headers.js';
import type { RecordView, TopicDecoder } from '../records/record-view.js';
import type { StartPosition } from '../records/start-position.js';
import { type ReadRecord, readTopic } from '../records/topic-reader.js';

/** Dead letters that failed the same way: one exception class and message. */
export interface FailureGroup {
  readonly exception: string;
  readonly message: string;
  readonly count: number;
  /** Where they came from: the original topic, its partitions, and the offsets seen there. */
  readonly source:
    | { readonly topic: string; readonly partitions: readonly number[]; readonly firstOffset: number; readonly lastOffset: number }
    | undefined;
  /** ISO times of the first and last dead letter of the group (when they were dead-lettered). */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** How many of them were redriven before and failed again. */
  readonly redriven: number;
  /** The first of them, decoded. */
  readonly sample: RecordView;
}

/** What `dlt inspect` found on a dead-letter topic. */
export interface DeadLetterReport {
  readonly topic: string;
  readonly total: number;
  /** Largest group first. */
  readonly groups: readonly FailureGroup[];
}

/** Records without Spring's headers are grouped under this exception name. */
export const NOT_A_DEAD_LETTER = '(no kafka_dlt headers)';

/** Reads a dead-letter topic and groups its records by exception class and message. */
export async function inspectDeadLetters(options: {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly decoder: TopicDecoder;
  readonly from?: StartPosition;
  readonly partitions?: readonly number[];
  readonly max?: number;
  readonly signal?: AbortSignal;
}): Promise<DeadLetterReport> {
  const groups = new Map<string, Mutable>();
  let total = 0;
  await readTopic({
    kafka: options.kafka,
    topic: options.topic,
    ...(options.from ? { from: options.from } : {}),
    ...(options.partitions ? { partitions: options.partitions } : {}),
    ...(options.max !== undefined ? { max: options.max } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onRecord: async (record) => {
      total++;
      await add(groups, record, options.decoder);
    },
  });
  const list = [...groups.values()].map(
    (g): FailureGroup => ({
      exception: g.exception,
      message: g.message,
      count: g.count,
      source:
        g.sourceTopic === undefined
          ? undefined
          : {
              topic: g.sourceTopic,
              partitions: [...g.partitions].sort((a, b) => a - b),
              firstOffset: g.firstOffset,
              lastOffset: g.lastOffset,
            },
      firstSeen: new Date(g.first).toISOString(),
      lastSeen: new Date(g.last).toISOString(),
      redriven: g.redriven,
      sample: g.sample,
    }),
  );
  list.sort((a, b) => b.count - a.count || a.firstSeen.localeCompare(b.firstSeen));
  return { topic: options.topic, total, groups: list };
}

interface Mutable {
  exception: string;
  message: string;
  count: number;
  sourceTopic: string | undefined;
  partitions: Set<number>;
  firstOffset: number;
  lastOffset: number;
  first: number;
  last: number;
  redriven: number;
  sample: RecordView;
}

async function add(groups: Map<string, Mutable>, record: ReadRecord, decoder: TopicDecoder): Promise<void> {
  let headers: ReturnType<typeof readDeadLetterHeaders>;
  let malformed: string | undefined;
  try {
    headers = readDeadLetterHeaders(headerPairs(record));
  } catch (error) {
    // A header of the wrong width: grouped apart, with the reason, rather than stopping the report.
    malformed = describeError(error);
  }
  const exception = headers?.exceptionFqcn ?? NOT_A_DEAD_LETTER;
  const message = headers?.exceptionMessage ?? malformed ?? '';
  const key = `${exception}\u0000${message}`;
  const at = record.timestamp ?? 0;
  const group = groups.get(key);
  if (!group) {
    groups.set(key, {
      exception,
      message,
      count: 1,
      sourceTopic: headers?.originalTopic,
      partitions: new Set(headers ? [headers.originalPartition] : []),
      firstOffset: headers?.originalOffset ?? -1,
      lastOffset: headers?.originalOffset ?? -1,
      first: at,
      last: at,
      redriven: headers && headers.redriveCount > 0 ? 1 : 0,
      sample: await decoder.view(record),
    });
    return;
  }
  group.count++;
  group.first = Math.min(group.first, at);
  group.last = Math.max(group.last, at);
  if (headers) {
    group.partitions.add(headers.originalPartition);
    group.firstOffset = Math.min(group.firstOffset, headers.originalOffset);
    group.lastOffset = Math.max(group.lastOffset, headers.originalOffset);
    if (headers.redriveCount > 0) group.redriven++;
  }
}

/** A read record's headers as name/bytes pairs (repeats kept). */
export function headerPairs(record: ReadRecord): Array<readonly [string, Buffer]> {
  const headers = record.headers;
  if (!headers) return [];
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.map(([name, value]) => [name, typeof value === 'string' ? Buffer.from(value, 'utf8') : value] as const);
}
