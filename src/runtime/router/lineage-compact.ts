import { DecodeError, type RecordCoordinates } from '../errors/index.js';

/**
 * The one header a route with `lineage: 'compact'` puts on each output instead of
 * the four text headers: kafkajs encodes every header separately, so one binary
 * header of ~30 bytes costs a fraction of four text ones (see bench/RESULTS.md).
 */
export const COMPACT_LINEAGE_HEADER = 'x-lineage';

const VERSION = 1;
const RANGE = 1;
const ID_BYTES = 16;
// version, flags, id, partition (uint32), first offset (int64)
const FIXED = 2 + ID_BYTES + 4 + 8;

/** Where an output came from and its deterministic id, as the compact header carries them. */
export interface Lineage {
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  /** The source record's offset; for an aggregate of a batch, its first record's. */
  readonly sourceOffset: number;
  /** An aggregate's last source offset (absent for an output of one record). */
  readonly lastSourceOffset?: number;
  /** The 16-byte message id; {@link messageIdText} gives the same UUID-shaped text as the `x-message-id` header. */
  readonly messageId: Uint8Array;
}

/** Encodes lineage as the `x-lineage` header value: `[1, flags, id×16, partition u32, offset i64, (last offset i64), topic UTF-8]`. */
export function encodeLineage(lineage: Lineage): Buffer {
  const range = lineage.lastSourceOffset !== undefined;
  const topicBytes = Buffer.byteLength(lineage.sourceTopic, 'utf8');
  const bytes = Buffer.allocUnsafe(FIXED + (range ? 8 : 0) + topicBytes);
  bytes[0] = VERSION;
  bytes[1] = range ? RANGE : 0;
  bytes.set(lineage.messageId.subarray(0, ID_BYTES), 2);
  bytes.writeUInt32BE(lineage.sourcePartition, 18);
  bytes.writeBigInt64BE(BigInt(lineage.sourceOffset), 22);
  let at = FIXED;
  if (range) {
    bytes.writeBigInt64BE(BigInt(lineage.lastSourceOffset as number), at);
    at += 8;
  }
  bytes.write(lineage.sourceTopic, at, 'utf8');
  return bytes;
}

/**
 * Decodes an `x-lineage` header value. `at` names the record it was read from, for
 * the {@link DecodeError} a malformed or unknown-version value raises.
 */
export function decodeLineage(value: Uint8Array, at: RecordCoordinates): Lineage {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (bytes.length < FIXED)
    throw new DecodeError('headers', `'${COMPACT_LINEAGE_HEADER}' is ${bytes.length} bytes, shorter than ${FIXED}`, at);
  if (bytes[0] !== VERSION) throw new DecodeError('headers', `'${COMPACT_LINEAGE_HEADER}' has unknown version ${bytes[0]}`, at);
  const range = ((bytes[1] as number) & RANGE) !== 0;
  if (range && bytes.length < FIXED + 8) throw new DecodeError('headers', `'${COMPACT_LINEAGE_HEADER}' is missing its last offset`, at);
  const messageId = new Uint8Array(bytes.subarray(2, 2 + ID_BYTES));
  const sourcePartition = bytes.readUInt32BE(18);
  const sourceOffset = Number(bytes.readBigInt64BE(22));
  const lastSourceOffset = range ? Number(bytes.readBigInt64BE(FIXED)) : undefined;
  const sourceTopic = bytes.toString('utf8', FIXED + (range ? 8 : 0));
  return lastSourceOffset === undefined
    ? { sourceTopic, sourcePartition, sourceOffset, messageId }
    : { sourceTopic, sourcePartition, sourceOffset, lastSourceOffset, messageId };
}

/** The UUID-shaped text of a 16-byte message id: what the `x-message-id` header carries for the same output. */
export function messageIdText(id: Uint8Array): string {
  const hex = Buffer.from(id.buffer, id.byteOffset, Math.min(id.byteLength, ID_BYTES)).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
