import { DecodeError } from '../errors/index.js';
import { type InboundRecord, type KafkaRecord, RAW_TEXT_KEY, RAW_TEXT_VALUE } from '../event/record.js';
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

/** Our header on a dead letter whose key or value is carried as the event's original text because it was not valid base64 (value: `key` or `value`). */
export const NOT_BASE64_HEADER = 'x-dlt-not-base64';
/** Our header on a dead letter whose input headers were malformed: their JSON text as the event carried it. */
export const INVALID_HEADERS_HEADER = 'x-dlt-invalid-headers';

/** What a dead letter needs of a record: its coordinates and parts, and the event's raw text for parts that did not decode. */
export type DeadLetterSource = KafkaRecord & Partial<Pick<InboundRecord, 'rawKey' | 'rawValue' | 'rawText' | 'rawHeadersText'>>;

/**
 * The dead-letter message for a record: original key, value and headers, plus
 * Spring's headers encoded as Spring does (partition a 4-byte big-endian int,
 * offset and timestamp 8-byte big-endian longs, text as UTF-8), so Java tools
 * that read Spring dead letters read ours. A key or value that was not valid
 * base64 is carried as the event's original text, byte for byte, and named in
 * an `x-dlt-not-base64` header: nothing of the input is lost.
 */
export function deadLetterMessage(
  topic: string,
  record: DeadLetterSource,
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
  const failure =
    error instanceof Error
      ? { name: error.name, message: error.message, stack: error.stack }
      : { name: 'NonErrorThrown', message: `non-Error thrown: ${typeof error}`, stack: undefined };
  const headers: Array<readonly [string, Buffer]> = originalHeaders(record);
  const key = originalBytes(record, 'key', headers);
  const value = originalBytes(record, 'value', headers);
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
    key,
    value,
    headers,
    source: { topic: record.topic, partition: record.partition, offset: record.offset },
    sequence: 0,
    kind: 'dead-letter',
  };
}

function originalHeaders(record: DeadLetterSource): Array<readonly [string, Buffer]> {
  if (record.rawHeadersText !== undefined) return [[INVALID_HEADERS_HEADER, Buffer.from(record.rawHeadersText, 'utf8')]];
  return record.headers.list.map((header) => [header.name, header.value] as const);
}

// The strict decode when the part is valid base64; otherwise the event's text itself, flagged.
function originalBytes(record: DeadLetterSource, part: 'key' | 'value', headers: Array<readonly [string, Buffer]>): Buffer | null {
  const raw = part === 'key' ? record.rawKey : record.rawValue;
  const textOnly = ((record.rawText ?? 0) & (part === 'key' ? RAW_TEXT_KEY : RAW_TEXT_VALUE)) !== 0;
  if (!textOnly) {
    try {
      return part === 'key' ? record.keyBytes : record.valueBytes;
    } catch (error) {
      if (!(error instanceof DecodeError) || raw === undefined || raw === null) throw error;
    }
  }
  if (raw === undefined || raw === null) return null;
  headers.push([NOT_BASE64_HEADER, Buffer.from(part, 'utf8')]);
  return Buffer.from(raw, 'utf8');
}
