import { DLT_HEADERS, INVALID_HEADERS_HEADER, NOT_BASE64_HEADER } from '../../runtime/router/dead-letter.js';
import { LINEAGE_HEADERS } from '../../runtime/router/lineage.js';
import { COMPACT_LINEAGE_HEADER } from '../../runtime/router/lineage-compact.js';
import type { JsonSchema } from './json-schema.js';

// Kafka header values are bytes; these schemas describe them as the text (or binary) the router writes.

const text = (description: string): JsonSchema => ({ type: 'string', description });
const binary = (description: string): JsonSchema => ({ type: 'string', contentMediaType: 'application/octet-stream', description });

/** Trace context an input may carry: read by the router and copied onto every output. */
const TRACE_HEADERS: Readonly<Record<string, JsonSchema>> = {
  [LINEAGE_HEADERS.correlationId]: text('Correlation id, copied from the input record to every output'),
  [LINEAGE_HEADERS.traceparent]: text('W3C trace context, copied from the input record to every output'),
  [LINEAGE_HEADERS.tracestate]: text('W3C trace state, copied from the input record to every output'),
};

/** Headers of a record consumed from a topic that no function of this service writes. */
export function consumedHeaders(): JsonSchema {
  return { type: 'object', properties: { ...TRACE_HEADERS }, additionalProperties: true };
}

/** Headers of a message a route publishes: lineage (always) and the input's trace context (when it had one). */
export function outputHeaders(): JsonSchema {
  return {
    type: 'object',
    required: [LINEAGE_HEADERS.sourceTopic, LINEAGE_HEADERS.sourcePartition, LINEAGE_HEADERS.sourceOffset, LINEAGE_HEADERS.messageId],
    properties: {
      [LINEAGE_HEADERS.sourceTopic]: text('Topic of the input record this message was produced from'),
      [LINEAGE_HEADERS.sourcePartition]: text('Partition of the input record, as decimal text'),
      [LINEAGE_HEADERS.sourceOffset]: text(
        'Offset of the input record, as decimal text; for an output of a whole batch (publishAggregate), its offset range `first-last`',
      ),
      [LINEAGE_HEADERS.messageId]: text(
        'Deterministic message id (UUID-shaped): the same when Lambda redelivers the same record, so consumers can drop duplicates',
      ),
      ...TRACE_HEADERS,
    },
    additionalProperties: true,
  };
}

/** Headers of a message a route with `lineage: 'compact'` publishes: one binary lineage header and the trace context. */
export function compactOutputHeaders(): JsonSchema {
  return {
    type: 'object',
    required: [COMPACT_LINEAGE_HEADER],
    properties: {
      [COMPACT_LINEAGE_HEADER]: binary(
        'Lineage and deterministic message id: version byte 1, flags (bit 0: offset range), 16-byte id, partition (4-byte big-endian), offset (8-byte big-endian), last offset when a range, then the source topic (UTF-8). Decode with decodeLineage from kafka-lambda-router/lineage',
      ),
      ...TRACE_HEADERS,
    },
    additionalProperties: true,
  };
}

/** Headers of a dead letter: the original record's headers plus Spring for Apache Kafka's `kafka_dlt-*` headers, encoded as Spring encodes them. */
export function deadLetterHeaders(): JsonSchema {
  return {
    type: 'object',
    required: [
      DLT_HEADERS.originalTopic,
      DLT_HEADERS.originalPartition,
      DLT_HEADERS.originalOffset,
      DLT_HEADERS.originalTimestamp,
      DLT_HEADERS.originalTimestampType,
      DLT_HEADERS.exceptionFqcn,
      DLT_HEADERS.exceptionMessage,
      DLT_HEADERS.exceptionStacktrace,
      LINEAGE_HEADERS.messageId,
    ],
    properties: {
      [DLT_HEADERS.originalTopic]: text('Topic the record was consumed from (UTF-8)'),
      [DLT_HEADERS.originalPartition]: binary('Partition of the record: a 4-byte big-endian int'),
      [DLT_HEADERS.originalOffset]: binary('Offset of the record: an 8-byte big-endian long'),
      [DLT_HEADERS.originalTimestamp]: binary('Timestamp of the record in epoch milliseconds: an 8-byte big-endian long'),
      [DLT_HEADERS.originalTimestampType]: {
        type: 'string',
        enum: ['CreateTime', 'LogAppendTime'],
        description: 'Timestamp type of the record',
      },
      [DLT_HEADERS.exceptionFqcn]: text('Name of the error that dead-lettered the record (SchemaValidationError, PermanentError…)'),
      [DLT_HEADERS.exceptionMessage]: text('Message of that error'),
      [DLT_HEADERS.exceptionStacktrace]: text('Stack trace of that error'),
      [LINEAGE_HEADERS.messageId]: text('Deterministic message id of the dead letter'),
      [NOT_BASE64_HEADER]: text(
        "Present when the key or value was not valid base64 in the event: names which (`key` or `value`); that part is the event's original text",
      ),
      [INVALID_HEADERS_HEADER]: text(
        "Present when the record's headers were malformed in the event: their JSON text as the event carried it",
      ),
      ...TRACE_HEADERS,
    },
    // The original record's headers are kept as they were.
    additionalProperties: true,
  };
}
