import { createHash } from 'node:crypto';
import type { IHeaders, Message, Producer } from 'kafkajs';
import type { KafkaEvent } from '../../src/runtime/event/types.js';
import type { KafkaBatchResponse } from '../../src/runtime/lambda/response.js';
import { Order, transform } from './work.js';

/** How the hand-written handler sends: one sendBatch (b), none (its CPU share alone), or one awaited send per record (d). */
export type HandSend = 'sendBatch' | 'none' | 'per-record';

/** Options of {@link handHandler}. */
export interface HandOptions {
  readonly producer: Producer;
  readonly outputs: readonly [string, string];
  /** Adds our four lineage text headers to every output, with the same sha256 id (variant b′). */
  readonly lineage: boolean;
  readonly send: HandSend;
}

/**
 * What a team would write without us: decode, validate, transform, publish to two topics keyed by the input
 * key, and Lambda's partial batch response by hand (a partition stops at its first bad record, whose offset is
 * reported; nothing after it is published).
 */
export function handHandler(options: HandOptions): (event: KafkaEvent) => Promise<KafkaBatchResponse> {
  const { producer, outputs, lineage, send } = options;
  return async (event) => {
    const batchItemFailures: KafkaBatchResponse['batchItemFailures'] = [];
    const byTopic = outputs.map(() => [] as Message[]);
    for (const [lane, records] of Object.entries(event.records)) {
      for (const record of records) {
        const parsed = Order.safeParse(JSON.parse(Buffer.from(record.value as string, 'base64').toString('utf8')));
        if (!parsed.success) {
          batchItemFailures.push({ itemIdentifier: { partition: lane, offset: record.offset } });
          break;
        }
        const key = record.key ? Buffer.from(record.key, 'base64') : null;
        const value = Buffer.from(JSON.stringify(transform(parsed.data)));
        for (let i = 0; i < outputs.length; i++) {
          const message: Message = { key, value };
          if (lineage) message.headers = lineageHeaders(record.topic, Number(record.partition), record.offset, i);
          if (send === 'per-record') await producer.send({ topic: outputs[i] as string, acks: -1, messages: [message] });
          else byTopic[i]?.push(message);
        }
      }
    }
    if (send === 'sendBatch') {
      await producer.sendBatch({ acks: -1, topicMessages: outputs.map((topic, i) => ({ topic, messages: byTopic[i] ?? [] })) });
    }
    return { batchItemFailures };
  };
}

function lineageHeaders(topic: string, partition: number, offset: number, sequence: number): IHeaders {
  const hex = createHash('sha256')
    .update(`route\u0000${topic}\u0000${partition}\u0000${offset}\u0000output\u0000${sequence}`)
    .digest('hex');
  return {
    'x-source-topic': Buffer.from(topic),
    'x-source-partition': Buffer.from(String(partition)),
    'x-source-offset': Buffer.from(String(offset)),
    'x-message-id': Buffer.from(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`),
  };
}
