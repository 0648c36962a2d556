import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { ConfigError } from '../../../runtime/errors/index.js';
import type { EventMessage } from '../../testing/build-event.js';
import { toEventMessage } from '../emulator/consumed-record.js';
import { fetchTopicOffsets } from '../topics.js';
import type { StartPosition } from './start-position.js';

/** A record read from a topic, in the event builder's shape (what Lambda's poller would hand over). */
export type ReadRecord = EventMessage & { readonly partition: number; readonly offset: number };

/** Options of {@link readTopic}. */
export interface ReadTopicOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  /** Default: the beginning; ignored for partitions with a committed position when `groupId` is given. */
  readonly from?: StartPosition;
  /** Only these partitions (default: all). */
  readonly partitions?: readonly number[];
  /** Stop after this many records. */
  readonly max?: number;
  /** Keep reading new records until aborted (otherwise stop at the end as it was when reading began). */
  readonly follow?: boolean;
  readonly signal?: AbortSignal;
  /** A consumer group whose committed positions say where to start (redrive); default: a throwaway group. */
  readonly groupId?: string;
  /** Without --follow: give up waiting for the end after this long without a record once two fetches brought none, or six times as long in any case (default 5 s). */
  readonly idleMs?: number;
  /** Called for each record in offset order per partition; `commit()` stores the position after it in the group. */
  onRecord(record: ReadRecord, commit: () => Promise<void>): Promise<void> | void;
}

/** Where reading stopped: the next offset per partition, and why. */
export interface ReadTopicResult {
  readonly read: number;
  /** Partition → the offset after the last record handled (or where reading started). */
  readonly next: ReadonlyMap<number, number>;
  readonly stoppedBy: 'end' | 'max' | 'signal' | 'idle';
  /** Offsets between `next` and the end the topic had when reading began (0 when it got there). */
  readonly remaining: number;
}

/**
 * Reads `topic` from explicit start offsets (a seek per partition, and records before it are skipped should the
 * first fetch precede the seek), one record at a time. Without `follow` it stops at the end the topic had when
 * reading began. Nothing is committed unless `onRecord` calls `commit()`.
 */
export async function readTopic(options: ReadTopicOptions): Promise<ReadTopicResult> {
  const admin = options.kafka.admin();
  await admin.connect();
  let consumer: Consumer | undefined;
  const groupId = options.groupId ?? `kafka-lambda-router-read-${randomUUID()}`;
  try {
    if (!(await admin.listTopics()).includes(options.topic)) throw new ConfigError(`Topic '${options.topic}' does not exist`);
    const watermarks = await fetchTopicOffsets(admin, options.topic);
    const chosen = options.partitions ?? watermarks.map((w) => w.partition);
    const unknown = chosen.filter((p) => !watermarks.some((w) => w.partition === p));
    if (unknown.length > 0) throw new ConfigError(`Topic '${options.topic}' has no partition ${unknown.join(', ')}`);
    const start = await startOffsets(admin, options, chosen, groupId);
    const end = new Map(watermarks.map((w) => [w.partition, Number(w.high)]));
    const next = new Map(start);
    const pending = () => [...next].filter(([p, offset]) => offset < (end.get(p) ?? 0));
    const remaining = () => pending().reduce((sum, [p, offset]) => sum + (end.get(p) ?? 0) - offset, 0);
    if (!options.follow && (pending().length === 0 || options.max === 0))
      return { read: 0, next, stoppedBy: options.max === 0 ? 'max' : 'end', remaining: remaining() };

    consumer = options.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
    let read = 0;
    let lastProgress = Date.now();
    let stoppedBy: ReadTopicResult['stoppedBy'] | undefined;
    let failure: unknown;
    const live = consumer;
    // A crash kafkajs will not restart from (the broker gone past its retries) ends the read instead of idling.
    live.on(live.events.CRASH, ({ payload }) => {
      if (!payload.restart) failure ??= payload.error;
    });
    // Idle means the broker had nothing more to give, not only that time passed: a fetch slowed by a loaded
    // machine or a rebalance must not end the read with records still unread (offsets that never arrive as
    // records, such as transaction markers, are what the idle rule is for).
    let fetchesSinceProgress = 0;
    live.on(live.events.FETCH, () => {
      fetchesSinceProgress++;
    });
    await live.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (stoppedBy || failure) return;
        const from = next.get(partition);
        const offset = Number(message.offset);
        if (from === undefined || offset < from) return; // a partition not asked for, or before the seek took effect
        try {
          const commit = () => live.commitOffsets([{ topic: options.topic, partition, offset: String(offset + 1) }]);
          await options.onRecord(toEventMessage(options.topic, partition, message), commit);
        } catch (error) {
          failure = error;
          return;
        }
        next.set(partition, offset + 1);
        read++;
        lastProgress = Date.now();
        fetchesSinceProgress = 0;
        if (options.max !== undefined && read >= options.max) stoppedBy = 'max';
        else if (!options.follow && pending().length === 0) stoppedBy = 'end';
      },
    });
    await seekWhenJoined(live, options.topic, start);
    // The idle clock starts once the group is joined: joining a just-restarted broker takes seconds.
    if (read === 0) lastProgress = Date.now();
    const idleMs = options.idleMs ?? 5_000;
    // Six times as long without a single fetch coming back (a broker gone) ends it too.
    const idle = (quietMs: number) => (quietMs > idleMs && fetchesSinceProgress >= 2) || quietMs > idleMs * 6;
    while (!stoppedBy && !failure) {
      if (options.signal?.aborted) stoppedBy = 'signal';
      else if (!options.follow && idle(Date.now() - lastProgress)) stoppedBy = 'idle';
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await live.stop();
    if (failure) throw failure;
    return { read, next, stoppedBy: stoppedBy ?? 'end', remaining: remaining() };
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    // A throwaway group leaves nothing behind.
    if (!options.groupId && consumer) await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

async function startOffsets(
  admin: Admin,
  options: ReadTopicOptions,
  partitions: readonly number[],
  groupId: string,
): Promise<Map<number, number>> {
  const watermarks = new Map((await fetchTopicOffsets(admin, options.topic)).map((w) => [w.partition, w]));
  const committed = new Map<number, number>();
  if (options.groupId) {
    const [offsets] = await whenCoordinatorReady(() => admin.fetchOffsets({ groupId, topics: [options.topic] }));
    for (const p of offsets?.partitions ?? []) if (Number(p.offset) >= 0) committed.set(p.partition, Number(p.offset));
  }
  const from = options.from ?? { kind: 'beginning' };
  const byTime = from.kind === 'timestamp' ? await admin.fetchTopicOffsetsByTimestamp(options.topic, from.ms) : [];
  const start = new Map<number, number>();
  for (const partition of partitions) {
    const low = Number(watermarks.get(partition)?.low ?? 0);
    const high = Number(watermarks.get(partition)?.high ?? 0);
    const stored = committed.get(partition);
    let offset: number;
    if (stored !== undefined) offset = stored;
    else if (from.kind === 'beginning') offset = low;
    else if (from.kind === 'end') offset = high;
    else if (from.kind === 'offset') offset = from.offset;
    else {
      const found = Number(byTime.find((entry) => entry.partition === partition)?.offset ?? -1);
      offset = found < 0 ? high : found;
    }
    start.set(partition, Math.min(Math.max(offset, low), high));
  }
  return start;
}

/** Seeks each partition once the group is set up (kafkajs refuses a seek before `run` has initialised it). */
async function seekWhenJoined(consumer: Consumer, topic: string, start: ReadonlyMap<number, number>): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      for (const [partition, offset] of start) consumer.seek({ topic, partition, offset: String(offset) });
      return;
    } catch (error) {
      if (!/not initialized/i.test(error instanceof Error ? error.message : '') || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const COORDINATOR_NOT_READY = new Set(['COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR']);

/**
 * Retries `call` while the group coordinator is loading or moving, for up to 30 s: a broker that just started (or
 * restarted) answers so for seconds, longer than the tools' short client retries, which are kept short so that an
 * unreachable cluster fails fast.
 */
export async function whenCoordinatorReady<T>(call: () => Promise<T>, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!coordinatorNotReady(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function coordinatorNotReady(error: unknown): boolean {
  for (
    let e: unknown = error;
    e instanceof Error;
    e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError
  ) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && COORDINATOR_NOT_READY.has(type)) return true;
    if (e === (e as { cause?: unknown }).cause) break;
  }
  return false;
}
