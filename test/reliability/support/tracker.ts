import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import { DLT_HEADERS } from '../../../src/runtime/router/dead-letter.js';
import { LINEAGE_HEADERS } from '../../../src/runtime/router/lineage.js';
import type { Delivery, SourceRecord } from './tally.js';

/** Which side of the pipeline a watched topic is. */
export type DeliveryKind = 'output' | 'dead-letter';

/**
 * Reads the output and dead-letter topics while a scenario runs, from the
 * beginning, keeping every message once by its offset (a consumer restarted
 * after a broker crash may read some again), and knows which inputs have been
 * accounted for so far.
 */
export class DeliveryTracker {
  private readonly consumers: Consumer[] = [];
  private readonly deliveries = new Map<DeliveryKind, Map<string, Delivery>>([
    ['output', new Map()],
    ['dead-letter', new Map()],
  ]);
  private readonly accounted = new Set<string>();
  /** When the last message of any kind (first copy or not) arrived. */
  lastMessageAt = 0;
  /** Every dead letter's headers as `name=value` text (for the secret scan: only the original value may carry a secret). */
  readonly deadLetterHeaders: string[] = [];

  constructor(private readonly kafka: Kafka) {}

  /** Starts reading `topic` (it must exist). */
  async watch(topic: string, kind: DeliveryKind): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `chaos-tracker-${randomUUID()}`,
      maxWaitTimeInMs: 100,
      retry: { retries: 60, maxRetryTime: 2_000 },
    });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const store = this.deliveries.get(kind) as Map<string, Delivery>;
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const message of batch.messages) {
          const where = `${batch.partition}/${message.offset}`;
          if (store.has(where)) continue;
          const source = kind === 'output' ? lineageSource(message.headers) : deadLetterSource(message.headers);
          store.set(where, {
            partition: batch.partition,
            offset: Number(message.offset),
            key: message.key?.toString('utf8') ?? null,
            messageId: header(message.headers, LINEAGE_HEADERS.messageId)?.toString('utf8'),
            source,
            timestamp: Number(message.timestamp),
          });
          this.lastMessageAt = now;
          if (kind === 'dead-letter') this.deadLetterHeaders.push(headerText(message.headers));
          if (source) this.accounted.add(`${source.partition}/${source.offset}`);
        }
      },
    });
  }

  /** Inputs seen downstream at least once (handled or dead-lettered). */
  get accountedInputs(): number {
    return this.accounted.size;
  }

  /** True when input `partition`/`offset` has been seen downstream. */
  hasAccounted(source: SourceRecord): boolean {
    return this.accounted.has(`${source.partition}/${source.offset}`);
  }

  /** Every message read so far of one kind. */
  read(kind: DeliveryKind): Delivery[] {
    return [...(this.deliveries.get(kind) as Map<string, Delivery>).values()];
  }

  /** How many messages of `kind` were read so far (copies included). */
  count(kind: DeliveryKind): number {
    return (this.deliveries.get(kind) as Map<string, Delivery>).size;
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.disconnect().catch(() => undefined)));
  }
}

function header(headers: IHeaders | undefined, name: string): Buffer | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : Buffer.isBuffer(first) ? first : Buffer.from(String(first));
}

function lineageSource(headers: IHeaders | undefined): SourceRecord | undefined {
  const partition = header(headers, LINEAGE_HEADERS.sourcePartition)?.toString('utf8');
  const offset = header(headers, LINEAGE_HEADERS.sourceOffset)?.toString('utf8');
  return partition !== undefined && offset !== undefined ? { partition: Number(partition), offset: Number(offset) } : undefined;
}

// Spring's encoding: the partition a 4-byte big-endian int, the offset an 8-byte big-endian long.
function deadLetterSource(headers: IHeaders | undefined): SourceRecord | undefined {
  const partition = header(headers, DLT_HEADERS.originalPartition);
  const offset = header(headers, DLT_HEADERS.originalOffset);
  return partition?.length === 4 && offset?.length === 8
    ? { partition: partition.readInt32BE(0), offset: Number(offset.readBigInt64BE(0)) }
    : undefined;
}

function headerText(headers: IHeaders | undefined): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined) lines.push(`${name}=${item.toString()}`);
  }
  return lines.join('\n');
}
