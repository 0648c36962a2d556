import type { Message } from 'kafkajs';
import { buildKafkaEvent, type EventMessage } from '../../testing/build-event.js';
import type { RegistryFailure } from './schema-registry-mode.js';

/** Why Lambda gave up on a record, as its on-failure record's `requestContext.condition` says. */
export type FailureCondition = 'RetriesExhausted' | RegistryFailure;

/**
 * The record Lambda writes to a `kafka://` on-failure destination for one record it
 * gave up on: the original key (so keyed records keep their partition), and a JSON
 * value with the condition, the batch info and the record as the function saw it.
 */
export function failureDestinationMessage(
  message: EventMessage & { partition: number; offset: number },
  condition: FailureCondition,
  functionName: string,
  attempts: number,
): Message {
  return {
    key: (message.key as Buffer | null | undefined) ?? null,
    value: JSON.stringify({
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        condition,
        functionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
        approximateInvokeCount: attempts,
      },
      KafkaBatchInfo: {
        topic: message.topic,
        partition: message.partition,
        startOffset: message.offset,
        endOffset: message.offset,
        batchSize: 1,
      },
      payload: buildKafkaEvent([message]).records,
    }),
  };
}
