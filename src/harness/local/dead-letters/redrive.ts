import { createHash } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { DLT_HEADERS, INVALID_HEADERS_HEADER, NOT_BASE64_HEADER } from '../../../runtime/router/dead-letter.js';
import { type DeadLetterHeaders, REDRIVE_COUNT_HEADER, readDeadLetterHeaders } from '../../testing/dead-letter-headers.js';
import { type ReadRecord, readTopic } from '../records/topic-reader.js';
import { headerPairs } from './inspect.js';

/** Which dead letters to send back. */
export interface RedriveFilter {
  /** `kafka_dlt-exception-fqcn` equal to this. */
  readonly exception?: string;
  /** `kafka_dlt-exception-message` containing this. */
  readonly message?: string;
  /** Dead-lettered at or after / before this instant (epoch ms, the dead letter's timestamp). */
  readonly since?: number;
  readonly until?: number;
  /** Dead-letter offsets, inclusive, in every partition read. */
  readonly offsets?: { readonly from: number; readonly to: number };
}

/** Options of {@link redriveDeadLetters}. */
export interface RedriveOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly filter: RedriveFilter;
  /** Send here instead of each record's `kafka_dlt-original-topic`. */
  readonly to?: string;
  /** Print what would go; produce and commit nothing. */
  readonly dryRun?: boolean;
  /** The consumer group that remembers what was redriven (default: derived from the topic, filter and target). */
  readonly groupId?: string;
  readonly signal?: AbortSignal;
  /** Each record sent (or, in a dry run, that would be), and each one skipped with the reason. */
  readonly onRecord?: (event: RedriveEvent) => void;
}

/** One dead letter's fate. */
export type RedriveEvent =
  | { readonly kind: 'sent' | 'would-send'; readonly record: ReadRecord; readonly to: string; readonly warning?: string }
  | { readonly kind: 'skipped'; readonly record: ReadRecord; readonly reason: string };

/**
 * A dead letter whose fate on the target is not known: its send failed (it may still have arrived), or it was
 * acknowledged but its position could not be committed. The next run sends it again.
 */
export interface InDoubtRecord {
  readonly partition: number;
  readonly offset: number;
  readonly state: 'send-failed' | 'sent-not-committed';
}

/** What a redrive did, and where it stopped. */
export interface RedriveResult {
  readonly groupId: string;
  readonly sent: number;
  readonly skipped: number;
  readonly warnings: number;
  /**
   * Partition → the next dead-letter offset (committed in the group, unless a dry run). After an error: only the
   * partitions whose position this run committed.
   */
  readonly next: ReadonlyMap<number, number>;
  readonly stoppedBy: 'end' | 'max' | 'signal' | 'idle' | 'error';
  /** Dead letters not read yet (0 when it got to the end); unknown after an error. */
  readonly remaining?: number;
  /** The record in flight when an error stopped the run; at most one, as records are sent one at a time. */
  readonly inDoubt: readonly InDoubtRecord[];
  /** Why the run stopped early (`stoppedBy: 'error'`): the broker's or client's message. */
  readonly error?: string;
}

/**
 * Sends dead letters back to their original topic (or `to`) with their key, value and original headers, and a
 * `kafka_dlt-redrive-count` one higher than before. Each record's position is committed in the group only after
 * its produce is acknowledged, so an interrupted run resumes where it stopped, and a second run sends nothing new.
 * Records that do not pass the filter are passed over, and their position committed too: the default group is
 * per filter and target, so another filter starts from the beginning.
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const groupId = options.groupId ?? defaultGroup(options);
  const producer = options.dryRun ? undefined : options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer?.connect();
  let sent = 0;
  let skipped = 0;
  let warnings = 0;
  let inFlight: InDoubtRecord | undefined;
  const committed = new Map<number, number>();
  try {
    const result = await readTopic({
      kafka: options.kafka,
      topic: options.topic,
      groupId,
      ...(options.signal ? { signal: options.signal } : {}),
      onRecord: async (record, commit) => {
        const decision = redriveDecision(record, options);
        if ('reason' in decision) {
          skipped++;
          options.onRecord?.({ kind: 'skipped', record, reason: decision.reason });
        } else if (!producer) {
          options.onRecord?.({ kind: 'would-send', record, to: decision.to, ...(decision.warning ? { warning: decision.warning } : {}) });
          sent++;
        } else {
          inFlight = { partition: record.partition, offset: record.offset, state: 'send-failed' };
          await producer.send({
            topic: decision.to,
            acks: -1,
            messages: [{ key: record.key ?? null, value: record.value as Buffer | null, headers: decision.headers }],
          });
          inFlight = { ...inFlight, state: 'sent-not-committed' };
          sent++;
          if (decision.warning) warnings++;
          options.onRecord?.({ kind: 'sent', record, to: decision.to, ...(decision.warning ? { warning: decision.warning } : {}) });
        }
        // Only after the produce above was acknowledged: an interrupted run never skips a record it did not send.
        if (producer) {
          await commit();
          committed.set(record.partition, record.offset + 1);
        }
        inFlight = undefined;
      },
    });
    return { groupId, sent, skipped, warnings, next: result.next, stoppedBy: result.stoppedBy, remaining: result.remaining, inDoubt: [] };
  } catch (error) {
    // A broker gone mid-way (or any client failure): say exactly what was done, so a second run can be trusted.
    const message = error instanceof Error ? error.message : String(error);
    return { groupId, sent, skipped, warnings, next: committed, stoppedBy: 'error', inDoubt: inFlight ? [inFlight] : [], error: message };
  } finally {
    await producer?.disconnect();
  }
}

/** Whether a dead letter goes back, where, with which headers; or why not. */
export type RedriveDecision =
  | { readonly reason: string }
  | { readonly to: string; readonly headers: Record<string, Buffer[]>; readonly warning?: string };

/** What a redrive does with one dead letter (filters, target, the headers it is sent with). */
export function redriveDecision(record: ReadRecord, options: Pick<RedriveOptions, 'topic' | 'filter' | 'to'>): RedriveDecision {
  const pairs = headerPairs(record);
  let dead: DeadLetterHeaders | undefined;
  try {
    dead = readDeadLetterHeaders(pairs);
  } catch {
    dead = undefined;
  }
  const { filter } = options;
  if (filter.exception !== undefined && dead?.exceptionFqcn !== filter.exception) return { reason: 'exception does not match --where' };
  if (filter.message !== undefined && !dead?.exceptionMessage.includes(filter.message)) return { reason: 'message does not match --where' };
  const at = record.timestamp ?? 0;
  if (filter.since !== undefined && at < filter.since) return { reason: 'before --since' };
  if (filter.until !== undefined && at >= filter.until) return { reason: 'not before --until' };
  if (filter.offsets && (record.offset < filter.offsets.from || record.offset > filter.offsets.to))
    return { reason: 'outside --offset-range' };
  const to = options.to ?? dead?.originalTopic;
  if (!to) return { reason: 'no kafka_dlt-original-topic header (pass --to)' };
  if (to === options.topic) return { reason: 'the target is the dead-letter topic itself' };
  const headers: Record<string, Buffer[]> = {};
  for (const [name, value] of originalHeaders(pairs)) {
    const list = headers[name] ?? [];
    list.push(value);
    headers[name] = list;
  }
  headers[REDRIVE_COUNT_HEADER] = [Buffer.from(String((dead?.redriveCount ?? 0) + 1), 'utf8')];
  const warning = dead?.notBase64
    ? `its ${dead.notBase64} was not valid base64 in the event: redriven as the text the dead letter carries`
    : pairs.some(([name]) => name === INVALID_HEADERS_HEADER)
      ? 'its headers were malformed in the event: redriven with their JSON text in x-dlt-invalid-headers'
      : undefined;
  return { to, headers, ...(warning ? { warning } : {}) };
}

/**
 * The headers the record had before it was dead-lettered: those before the dead-letter headers the router (or
 * Spring) appended, without a previous redrive count (a new one is set).
 */
function originalHeaders(pairs: ReadonlyArray<readonly [string, Buffer]>): Array<readonly [string, Buffer]> {
  const appended = (name: string) => (name.startsWith('kafka_dlt-') && name !== REDRIVE_COUNT_HEADER) || name === NOT_BASE64_HEADER;
  const end = pairs.findIndex(([name]) => appended(name) || name === DLT_HEADERS.originalTopic);
  const kept = end < 0 ? pairs : pairs.slice(0, end);
  return kept.filter(([name]) => name !== REDRIVE_COUNT_HEADER);
}

function defaultGroup(options: RedriveOptions): string {
  const described = JSON.stringify({ filter: options.filter, to: options.to ?? null });
  const suffix = described === '{"filter":{},"to":null}' ? '' : `.${createHash('sha256').update(described).digest('hex').slice(0, 8)}`;
  return `kafka-lambda-router-redrive.${options.topic}${suffix}`;
}
