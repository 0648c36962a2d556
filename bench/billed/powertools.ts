import { BatchProcessor, EventType } from '@aws-lambda-powertools/batch';
import { kafkaConsumer, SchemaType } from '@aws-lambda-powertools/kafka';
import type { ConsumerRecord } from '@aws-lambda-powertools/kafka/types';
import type { Context } from 'aws-lambda';
import type { Message, Producer } from 'kafkajs';
import type { KafkaEvent } from '../../src/runtime/event/types.js';
import type { KafkaBatchResponse } from '../../src/runtime/lambda/response.js';
import { Order, transform } from './work.js';

/**
 * Variant (c): Powertools' kafkaConsumer (decode, zod/mini through `parserSchema`) with Powertools batch
 * processing per record, then one kafkajs sendBatch. @aws-lambda-powertools/batch 2.35.0 has no Kafka event
 * type (SQS, Kinesis, DynamoDB only), so its processor runs the records (in order) and the Kafka partial
 * batch response is built by hand from its failed records.
 */
export function powertoolsHandler(
  producer: Producer,
  outputs: readonly [string, string],
): (event: KafkaEvent, context: Context) => Promise<KafkaBatchResponse> {
  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  const handler = kafkaConsumer<string, Order>(
    async (consumerRecords) => {
      const byTopic = outputs.map(() => [] as Message[]);
      const failed = new Set<string>();
      const handleRecord = async (record: ConsumerRecord<string, Order>) => {
        const lane = `${record.topic}-${record.partition}`;
        // A partition stops at its first failure, as Lambda redelivers from there.
        if (failed.has(lane)) throw new Error('after a failed record');
        try {
          const value = Buffer.from(JSON.stringify(transform(record.value)));
          for (const [i] of outputs.entries()) byTopic[i]?.push({ key: record.key, value });
        } catch (error) {
          failed.add(lane);
          throw error;
        }
      };
      processor.register(consumerRecords.records as never, handleRecord as never, { processInParallel: false });
      await processor.process();
      const batchItemFailures: KafkaBatchResponse['batchItemFailures'] = [];
      const reported = new Set<string>();
      for (const record of processor.failureMessages as unknown as Array<ConsumerRecord<string, Order>>) {
        const lane = `${record.topic}-${record.partition}`;
        if (reported.has(lane)) continue;
        reported.add(lane);
        batchItemFailures.push({ itemIdentifier: { partition: lane, offset: record.offset } });
      }
      await producer.sendBatch({ acks: -1, topicMessages: outputs.map((topic, i) => ({ topic, messages: byTopic[i] ?? [] })) });
      return { batchItemFailures };
    },
    { value: { type: SchemaType.JSON, parserSchema: Order } },
  );
  return (event, context) => handler(event as never, context) as Promise<KafkaBatchResponse>;
}
