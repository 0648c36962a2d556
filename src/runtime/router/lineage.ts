import { createHash } from 'node:crypto';
import type { RecordCoordinates } from '../errors/index.js';
import type { KafkaRecord } from '../event/record.js';

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

/**
 * A message id that is the same every time Lambda delivers the same record
 * again, so consumers can drop duplicates: a UUID-shaped SHA-256 digest of the
 * route, the source coordinates, the kind and the output's position.
 */
export function deterministicMessageId(origin: string, source: RecordCoordinates, kind: string, sequence: number): string {
  const hex = createHash('sha256')
    .update(`${origin}\u0000${source.topic}\u0000${source.partition}\u0000${source.offset}\u0000${kind}\u0000${sequence}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Lineage headers for an output of `source`: where it came from, its id, and the trace context carried over. */
export function lineageHeaders(origin: string, source: KafkaRecord, kind: string, sequence: number): Array<readonly [string, Buffer]> {
  const headers: Array<readonly [string, Buffer]> = [
    [LINEAGE_HEADERS.sourceTopic, Buffer.from(source.topic, 'utf8')],
    [LINEAGE_HEADERS.sourcePartition, Buffer.from(String(source.partition), 'utf8')],
    [LINEAGE_HEADERS.sourceOffset, Buffer.from(String(source.offset), 'utf8')],
    [LINEAGE_HEADERS.messageId, Buffer.from(deterministicMessageId(origin, source, kind, sequence), 'utf8')],
  ];
  let inherited: ReturnType<KafkaRecord['headers']['bytes']>;
  try {
    for (const name of [LINEAGE_HEADERS.correlationId, LINEAGE_HEADERS.traceparent, LINEAGE_HEADERS.tracestate]) {
      inherited = source.headers.bytes(name);
      if (inherited) headers.push([name, inherited]);
    }
  } catch {
    // Undecodable input headers: lineage still names the source.
  }
  return headers;
}
