import type { KafkaRecord } from '../event/record.js';
import { deterministicMessageId, LINEAGE_HEADERS } from './lineage.js';
import type { OutboundMessage } from './outbox.js';

/** Spring for Apache Kafka's dead-letter header names (`KafkaHeaders.DLT_*`). */
export const DLT_HEADERS = {
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  originalTimestampType: 'kafka_dlt-original-timestamp-type',
  exceptionFqcn: 'kafka_dlt-exception-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
} as const;

/** Spring's default dead-letter topic name for a topic. */
export function defaultDeadLetterTopic(topic: string): string {
  return `${topic}.DLT`;
}

/**
 * The dead-letter message for a record: original key, value and headers, plus
 * Spring's headers encoded as Spring does (partition a 4-byte big-endian int,
 * offset and timestamp 8-byte big-endian longs, text as UTF-8), so Java tools
 * that read Spring dead letters read ours.
 */
export function deadLetterMessage(
  topic: string,
  record: KafkaRecord & { rawKey?: string | null; rawValue?: string | null },
  error: unknown,
  /** The route (or policy) dead-lettering it: part of the message id. */
  origin = 'dead-letter',
): OutboundMessage {
  const partition = Buffer.alloc(4);
  partition.writeInt32BE(record.partition);
  const offset = Buffer.alloc(8);
  offset.writeBigInt64BE(BigInt(record.offset));
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigInt64BE(BigInt(Math.trunc(record.timestamp)));
  const failure = error instanceof Error ? error : new Error(String(error));
  const headers: Array<readonly [string, Buffer]> = originalHeaders(record);
  headers.push(
    [DLT_HEADERS.originalTopic, Buffer.from(record.topic, 'utf8')],
    [DLT_HEADERS.originalPartition, partition],
    [DLT_HEADERS.originalOffset, offset],
    [DLT_HEADERS.originalTimestamp, timestamp],
    [DLT_HEADERS.originalTimestampType, Buffer.from(record.timestampType === 'LOG_APPEND_TIME' ? 'LogAppendTime' : 'CreateTime', 'utf8')],
    [DLT_HEADERS.exceptionFqcn, Buffer.from(failure.name, 'utf8')],
    [DLT_HEADERS.exceptionMessage, Buffer.from(failure.message, 'utf8')],
    [DLT_HEADERS.exceptionStacktrace, Buffer.from(failure.stack ?? `${failure.name}: ${failure.message}`, 'utf8')],
    [LINEAGE_HEADERS.messageId, Buffer.from(deterministicMessageId(origin, record, 'dead-letter', 0), 'utf8')],
  );
  return {
    topic,
    key: originalBytes(() => record.keyBytes, record.rawKey),
    value: originalBytes(() => record.valueBytes, record.rawValue),
    headers,
    source: { topic: record.topic, partition: record.partition, offset: record.offset },
    sequence: 0,
    kind: 'dead-letter',
  };
}

function originalHeaders(record: KafkaRecord): Array<readonly [string, Buffer]> {
  try {
    return record.headers.list.map((header) => [header.name, header.value] as const);
  } catch {
    return [];
  }
}

// A dead letter must carry the original bytes even when they are not valid
// base64 (that may be why it is dead-lettered): fall back to a lenient decode.
function originalBytes(strict: () => Buffer | null, raw: string | null | undefined): Buffer | null {
  try {
    return strict();
  } catch {
    return raw === null || raw === undefined ? null : Buffer.from(raw, 'base64');
  }
}
