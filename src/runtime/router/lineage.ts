import { createHash, hash } from 'node:crypto';
import type { RecordCoordinates } from '../errors/index.js';
import type { KafkaRecord } from '../event/record.js';
import { COMPACT_LINEAGE_HEADER, encodeLineage, messageIdText } from './lineage-compact.js';

/**
 * How a route's outputs carry their lineage: `headers` (the default) as four text headers
 * (`x-source-topic`, `-partition`, `-offset`, `x-message-id`) that any consumer can read;
 * `compact` as one binary `x-lineage` header with the same information and the same id,
 * about a third of the flush cost per output (decode it with `kafka-lambda-router/lineage`).
 */
export type LineageMode = 'headers' | 'compact';

/** Header names every output carries. */
export const LINEAGE_HEADERS = {
  sourceTopic: 'x-source-topic',
  sourcePartition: 'x-source-partition',
  sourceOffset: 'x-source-offset',
  messageId: 'x-message-id',
  correlationId: 'x-correlation-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

const INHERITED = [LINEAGE_HEADERS.correlationId, LINEAGE_HEADERS.traceparent, LINEAGE_HEADERS.tracestate] as const;

/**
 * A message id that is the same every time Lambda delivers the same record
 * again, so consumers can drop duplicates: a UUID-shaped SHA-256 digest of the
 * route, the source coordinates, the kind and the output's position.
 */
export function deterministicMessageId(origin: string, source: RecordCoordinates, kind: string, sequence: number): string {
  return messageIdText(messageIdBytes(origin, source, kind, sequence));
}

/** The first 16 bytes of the digest {@link deterministicMessageId} shows as text. */
function messageIdBytes(origin: string, source: RecordCoordinates, kind: string, sequence: number): Buffer {
  // One-shot crypto.hash (Node 20.12+) is about half the cost of a Hash object per output, measured in a profile.
  return hash(
    'sha256',
    `${origin}\u0000${source.topic}\u0000${source.partition}\u0000${source.offset}\u0000${kind}\u0000${sequence}`,
    'buffer',
  );
}

/**
 * Lineage headers for an aggregate output of a batch: the source offsets as a
 * `first-last` range, and an id derived from the exact set of offsets, so the
 * same records give the same id and any other split a different one.
 */
export function aggregateLineageHeaders(
  origin: string,
  records: readonly KafkaRecord[],
  sequence: number,
  mode: LineageMode = 'headers',
): Array<readonly [string, Buffer]> {
  const first = records[0] as KafkaRecord;
  const last = records[records.length - 1] as KafkaRecord;
  const hash = createHash('sha256').update(`${origin}\u0000${first.topic}\u0000${first.partition}\u0000aggregate\u0000${sequence}`);
  for (const record of records) hash.update(`\u0000${record.offset}`);
  const id = hash.digest();
  if (mode === 'compact') {
    const lineage = { sourceTopic: first.topic, sourcePartition: first.partition, sourceOffset: first.offset, messageId: id };
    return [[COMPACT_LINEAGE_HEADER, encodeLineage({ ...lineage, lastSourceOffset: last.offset })]];
  }
  return [
    [LINEAGE_HEADERS.sourceTopic, Buffer.from(first.topic, 'utf8')],
    [LINEAGE_HEADERS.sourcePartition, Buffer.from(String(first.partition), 'utf8')],
    [LINEAGE_HEADERS.sourceOffset, Buffer.from(`${first.offset}-${last.offset}`, 'utf8')],
    [LINEAGE_HEADERS.messageId, Buffer.from(messageIdText(id), 'utf8')],
  ];
}

/** Lineage headers for an output of `source`: where it came from, its id, and the trace context carried over. */
export function lineageHeaders(
  origin: string,
  source: KafkaRecord,
  kind: string,
  sequence: number,
  mode: LineageMode = 'headers',
): Array<readonly [string, Buffer]> {
  const id = messageIdBytes(origin, source, kind, sequence);
  const headers: Array<readonly [string, Buffer]> =
    mode === 'compact'
      ? [
          [
            COMPACT_LINEAGE_HEADER,
            encodeLineage({ sourceTopic: source.topic, sourcePartition: source.partition, sourceOffset: source.offset, messageId: id }),
          ],
        ]
      : [
          [LINEAGE_HEADERS.sourceTopic, Buffer.from(source.topic, 'utf8')],
          [LINEAGE_HEADERS.sourcePartition, Buffer.from(String(source.partition), 'utf8')],
          [LINEAGE_HEADERS.sourceOffset, Buffer.from(String(source.offset), 'utf8')],
          [LINEAGE_HEADERS.messageId, Buffer.from(messageIdText(id), 'utf8')],
        ];
  // Headers are validated when the event is parsed, so reading them cannot fail here.
  for (const name of INHERITED) {
    const inherited = source.headers.bytes(name);
    if (inherited) headers.push([name, inherited]);
  }
  return headers;
}
