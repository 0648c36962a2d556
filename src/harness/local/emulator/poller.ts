import type { Batch, Consumer, Kafka, Producer } from 'kafkajs';
import { describeError } from '../../../runtime/errors/format.js';
import type { KafkaBatchResponse } from '../../../runtime/lambda/response.js';
import type { Logger } from '../../../runtime/router/logger.js';
import { buildKafkaEvent, type EventMessage } from '../../testing/build-event.js';
import { localLambdaContext } from '../../testing/lambda-context.js';
import { type RecordAdmission, recordAdmission } from './admission.js';
import { batchIsFull, type PendingRecord, recordBytes, takeBatch } from './batcher.js';
import { toEventMessage } from './consumed-record.js';
import { type FailureCondition, giveUpOn } from './failure-destination.js';
import { consumerPositionEvents, whenPositioned } from './positioned.js';
import { type RegistryFailure, type RegistryVerdict, schemaRegistryMode } from './schema-registry-mode.js';
import type { EmulatedFunction, EventSourceSettings, FunctionStats } from './types.js';

/** A queued record: `message` as consumed (what a destination gets), `delivered` as the function gets it. */
type Pending = PendingRecord & { readonly delivered: EventMessage; settle(): void };

/** Options of {@link EventSourcePoller}. */
export interface PollerOptions {
  readonly kafka: Kafka;
  readonly brokers: readonly string[];
  readonly fn: EmulatedFunction;
  readonly source: EventSourceSettings;
  readonly stats: FunctionStats;
  readonly logger: Logger;
  /** Failure destinations are written with this producer. */
  readonly producer: Producer;
  /** Delay before redelivering failed records (default 200 ms). */
  readonly retryDelayMs?: number;
  /** Consumer-group session timeout (default 30 s). */
  readonly sessionTimeoutMs?: number;
}

/**
 * One event source mapping: a consumer group that reads the topic the way
 * Lambda's poller does and invokes the function with real-shaped events.
 * Records of a partition are delivered in order and one invocation runs at a
 * time; a partition's offsets are committed only up to its first unsettled
 * record, so a failed record and everything after it are delivered again.
 */
export class EventSourcePoller {
  private readonly consumer: Consumer;
  private readonly queue: Pending[] = [];
  private readonly committed = new Map<number, number>();
  private readonly settledUpTo = new Map<number, number>();
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private bisectNext = 0;
  private running = false;
  private inFlight = 0;
  readonly groupId: string;
  /** Resolves once the consumer has joined its group and fixed its starting positions (see positioned.ts). */
  readonly joined: Promise<void>;
  private readonly registryStep: ((message: EventMessage) => Promise<RegistryVerdict>) | undefined;
  private readonly admission: RecordAdmission;

  constructor(private readonly options: PollerOptions) {
    const { fn, source } = options;
    this.registryStep = source.schemaRegistry ? schemaRegistryMode(source.schemaRegistry) : undefined;
    this.admission = recordAdmission(source, options.stats);
    this.groupId = source.consumerGroupId ?? `local-esm-${fn.name}-${source.topic}`;
    this.consumer = options.kafka.consumer({
      groupId: this.groupId,
      maxWaitTimeInMs: 100,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 5)),
    });
    this.joined = whenPositioned(consumerPositionEvents(this.consumer));
  }

  private get batchSize(): number {
    return this.options.source.batchSize ?? 100;
  }

  private get windowMs(): number {
    return (this.options.source.maximumBatchingWindow ?? 0.5) * 1000;
  }

  /** Connects, subscribes and starts polling. */
  async start(): Promise<void> {
    this.running = true;
    await this.admission.prepare(this.options.kafka, this.groupId);
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.source.topic, fromBeginning: this.admission.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 64,
      eachBatch: async ({ batch, heartbeat, resolveOffset }) => {
        await this.accept(batch, heartbeat);
        // kafkajs fetches again from the last resolved offset: resolve only once every record is settled.
        if (this.running) resolveOffset(batch.lastOffset());
      },
    });
  }

  /** True when nothing is queued or being invoked. */
  get idle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.consumer.disconnect();
  }

  private async accept(batch: Batch, heartbeat: () => Promise<void>): Promise<void> {
    const consumed = batch.messages.map((message) => toEventMessage(batch.topic, batch.partition, message));
    const admitted = await this.decode(
      consumed.filter((message) => !this.admission.leftOut(message)),
      heartbeat,
    );
    if (!admitted) return; // stopped while the registry was unreachable
    const done = admitted.map(
      ({ message, delivered }) =>
        new Promise<void>((settle) => this.queue.push({ message, delivered, bytes: recordBytes(delivered), attempts: 0, settle })),
    );
    if (admitted.length < consumed.length) {
      // Records never delivered (before the starting position, filtered out, or given up on by the registry step)
      // are committed like delivered ones: up to the partition's first record still queued.
      const queued = new Set(admitted.map(({ message }) => message));
      for (const message of consumed) if (!queued.has(message)) this.advance(message.partition, message.offset);
      await this.commit(consumed.map((message) => ({ message })));
    }
    this.schedule();
    let finished = false;
    const all = Promise.all(done).then(() => {
      finished = true;
    });
    // Keep the group membership alive while the records wait for (re)delivery.
    while (!finished && this.running) {
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      if (!finished && this.running) await heartbeat().catch(() => undefined);
    }
  }

  private schedule(delayMs?: number): void {
    if (this.flushing || !this.running || this.queue.length === 0) return;
    if (delayMs === undefined && batchIsFull(this.queue, this.batchSize)) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = this.flush();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flush();
    }, delayMs ?? this.windowMs);
  }

  private async flush(): Promise<void> {
    let retryAfterFailure = false;
    try {
      const batch = takeBatch(this.queue, this.bisectNext > 0 ? this.bisectNext : this.batchSize) as Pending[];
      if (batch.length > 0) retryAfterFailure = await this.invoke(batch);
    } finally {
      this.flushing = undefined;
      this.schedule(retryAfterFailure ? (this.options.retryDelayMs ?? 200) : undefined);
    }
  }

  /**
   * With a schema registry, Lambda deserializes before filtering and batching: records it cannot read never reach
   * the function and go to the on-failure destination (or are dropped without one), and filters read the decoded
   * record. While the registry cannot be reached, the records wait (the partition does not move) and are read again.
   * Returns the records to queue, or undefined when the poller stopped meanwhile.
   */
  private async decode(
    messages: ReadonlyArray<Pending['message']>,
    heartbeat: () => Promise<void>,
  ): Promise<Array<{ message: Pending['message']; delivered: EventMessage }> | undefined> {
    const step = this.registryStep;
    if (!step || messages.length === 0) return messages.map((message) => ({ message, delivered: message }));
    let verdicts: RegistryVerdict[] | undefined;
    while (!verdicts) {
      try {
        verdicts = await Promise.all(messages.map((message) => step(message)));
      } catch (error) {
        this.options.logger.warn('schema registry unreachable; the records will be read again', {
          function: this.options.fn.name,
          error: describeError(error),
        });
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 200));
        if (!this.running) return undefined;
        await heartbeat().catch(() => undefined);
      }
    }
    const admitted: Array<{ message: Pending['message']; delivered: EventMessage }> = [];
    const rejected = new Map<RegistryFailure, Pending[]>();
    verdicts.forEach((verdict, i) => {
      const message = messages[i] as Pending['message'];
      if (!('delivered' in verdict)) {
        const record: Pending = { message, delivered: message, bytes: 0, attempts: 0, settle: () => undefined };
        rejected.set(verdict.failure, [...(rejected.get(verdict.failure) ?? []), record]);
      } else if (!this.admission.filteredAfterDecoding(verdict.delivered, verdict.decoded)) {
        admitted.push({ message, delivered: verdict.delivered });
      }
    });
    for (const [condition, records] of rejected) await this.giveUp(records, condition);
    return admitted;
  }

  /** Invokes the function with `batch`; returns true when some records must be delivered again. */
  private async invoke(batch: Pending[]): Promise<boolean> {
    const { fn, source, stats, logger } = this.options;
    this.inFlight++;
    const event = buildKafkaEvent(
      batch.map((record) => record.delivered),
      {
        source: source.kind === 'kafka' ? 'self-managed' : 'msk',
        bootstrapServers: this.options.brokers,
        ...(source.clusterArn ? { clusterArn: source.clusterArn } : {}),
      },
    );
    stats.invocations++;
    stats.records += batch.length;
    for (const record of batch) {
      if (record.attempts > 0) stats.redeliveries++;
      record.attempts++;
    }
    const began = performance.now();
    let response: KafkaBatchResponse | undefined;
    let thrown: unknown;
    try {
      response = await fn.invoke(event, localLambdaContext(fn.name, (fn.timeout ?? 6) * 1000));
    } catch (error) {
      thrown = error;
    } finally {
      stats.durationsMs.push(performance.now() - began);
      this.inFlight--;
    }

    let failed: Pending[] = [];
    const identifiers = new Map((response?.batchItemFailures ?? []).map((f) => [f.itemIdentifier.partition, f.itemIdentifier.offset]));
    const unknownIdentifier = [...identifiers].some(
      ([lane, offset]) => !batch.some((r) => `${r.message.topic}-${r.message.partition}` === lane && r.message.offset === offset),
    );
    if (thrown !== undefined || unknownIdentifier) {
      // Lambda retries the whole batch when the function throws or names a record it was not sent.
      logger.warn('invocation failed; the whole batch will be delivered again', {
        function: fn.name,
        records: batch.length,
        error: thrown !== undefined ? describeError(thrown) : 'batchItemFailures names a record not in the batch',
      });
      failed = batch;
      if (source.bisectBatchOnFunctionError && batch.length > 1) this.bisectNext = Math.ceil(batch.length / 2);
    } else {
      this.bisectNext = 0;
      for (const record of batch) {
        const failedFrom = identifiers.get(`${record.message.topic}-${record.message.partition}`);
        if (failedFrom !== undefined && record.message.offset >= failedFrom) failed.push(record);
        else this.settle(record);
      }
    }
    stats.failures += failed.length;
    if (failed.length > 0) await this.redeliverOrGiveUp(failed);
    await this.commit(batch);
    return failed.length > 0;
  }

  private async redeliverOrGiveUp(failed: Pending[]): Promise<void> {
    const { source } = this.options;
    const maxRetries = source.maximumRetryAttempts ?? -1;
    const exhausted = failed.filter((record) => maxRetries >= 0 && record.attempts > maxRetries);
    const again = failed.filter((record) => !exhausted.includes(record));
    // Front of the queue, in order: they precede anything of their partitions still queued.
    this.queue.unshift(...again);
    if (exhausted.length === 0) return;
    await this.giveUp(exhausted, 'RetriesExhausted');
  }

  /** Sends records Lambda gives up on to the on-failure destination (or drops them, warning, without one), and settles them. */
  private async giveUp(records: Pending[], condition: FailureCondition): Promise<void> {
    const { source, stats, logger, fn, producer } = this.options;
    stats.sentToDestination += await giveUpOn(records, condition, {
      producer,
      logger,
      functionName: fn.name,
      destination: source.onFailureDestination,
    });
    for (const record of records) this.settle(record);
  }

  private settle(record: Pending): void {
    this.advance(record.message.partition, record.message.offset);
    record.settle();
  }

  private advance(partition: number, offset: number): void {
    if (offset > (this.settledUpTo.get(partition) ?? -1)) this.settledUpTo.set(partition, offset);
  }

  /** Commits each partition up to its first record that is still waiting for (re)delivery. */
  private async commit(batch: ReadonlyArray<{ readonly message: { readonly partition: number } }>): Promise<void> {
    const offsets: Array<{ topic: string; partition: number; offset: string }> = [];
    for (const partition of new Set(batch.map((r) => r.message.partition))) {
      const pending = this.queue.filter((r) => r.message.partition === partition).map((r) => r.message.offset);
      const next = pending.length > 0 ? Math.min(...pending) : (this.settledUpTo.get(partition) ?? -1) + 1;
      if (next > (this.committed.get(partition) ?? 0)) {
        this.committed.set(partition, next);
        offsets.push({ topic: this.options.source.topic, partition, offset: String(next) });
      }
    }
    if (offsets.length > 0 && this.running) await this.consumer.commitOffsets(offsets).catch(() => undefined);
  }
}
