import { DLT_HEADERS, NOT_BASE64_HEADER } from '../../runtime/router/dead-letter.js';
import { TestBrokerError } from './errors.js';

/** Our header on a redriven record: how many times `dlt redrive` has sent it back (decimal text). */
export const REDRIVE_COUNT_HEADER = 'kafka_dlt-redrive-count';

/** Spring's dead-letter headers, typed as Spring writes them (partition int32, offset and timestamp int64). */
export interface DeadLetterHeaders {
  readonly originalTopic: string;
  readonly originalPartition: number;
  /** A number: Kafka offsets stay far below 2^53 in practice; a larger one is refused rather than rounded. */
  readonly originalOffset: number;
  /** Epoch milliseconds. */
  readonly originalTimestamp: number;
  /** `CreateTime` or `LogAppendTime`. */
  readonly originalTimestampType: string | undefined;
  readonly exceptionFqcn: string;
  readonly exceptionMessage: string;
  readonly exceptionStacktrace: string | undefined;
  /** `key` or `value` when that part is the event's original text, not its decoded bytes (`x-dlt-not-base64`). */
  readonly notBase64: string | undefined;
  /** How many times the record was redriven (0 when never). */
  readonly redriveCount: number;
}

/** Header pairs as the runtime and kafkajs carry them. */
export type HeaderPairs = Iterable<readonly [string, Buffer]>;

/**
 * Reads Spring's `kafka_dlt-*` headers of a dead letter, typed; undefined when the record is not a dead letter
 * (no original topic). A header with the wrong width is a TestBrokerError naming it, never a wrong number.
 */
export function readDeadLetterHeaders(headers: HeaderPairs): DeadLetterHeaders | undefined {
  const first = new Map<string, Buffer>();
  for (const [name, value] of headers) if (!first.has(name)) first.set(name, value);
  const text = (name: string) => first.get(name)?.toString('utf8');
  const originalTopic = text(DLT_HEADERS.originalTopic);
  if (originalTopic === undefined) return undefined;
  const redrives = Number(text(REDRIVE_COUNT_HEADER) ?? '0');
  return {
    originalTopic,
    originalPartition: int32(first.get(DLT_HEADERS.originalPartition), DLT_HEADERS.originalPartition),
    originalOffset: int64(first.get(DLT_HEADERS.originalOffset), DLT_HEADERS.originalOffset),
    originalTimestamp: int64(first.get(DLT_HEADERS.originalTimestamp), DLT_HEADERS.originalTimestamp),
    originalTimestampType: text(DLT_HEADERS.originalTimestampType),
    exceptionFqcn: text(DLT_HEADERS.exceptionFqcn) ?? '',
    exceptionMessage: text(DLT_HEADERS.exceptionMessage) ?? '',
    exceptionStacktrace: text(DLT_HEADERS.exceptionStacktrace),
    notBase64: text(NOT_BASE64_HEADER),
    redriveCount: Number.isSafeInteger(redrives) && redrives > 0 ? redrives : 0,
  };
}

function int32(bytes: Buffer | undefined, name: string): number {
  if (bytes?.length !== 4) throw new TestBrokerError(`${name}: expected a 4-byte big-endian int, got ${bytes?.length ?? 'no'} bytes`);
  return bytes.readInt32BE(0);
}

function int64(bytes: Buffer | undefined, name: string): number {
  if (bytes?.length !== 8) throw new TestBrokerError(`${name}: expected an 8-byte big-endian long, got ${bytes?.length ?? 'no'} bytes`);
  const value = bytes.readBigInt64BE(0);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
    throw new TestBrokerError(`${name}: ${value} is beyond a safe JavaScript number`);
  return Number(value);
}
