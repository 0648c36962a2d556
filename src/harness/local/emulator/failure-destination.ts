import type { Message, Producer } from 'kafkajs';
import type { Logger } from '../../../runtime/router/logger.js';
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

/**
 * What Lambda does with records it gives up on: writes them to a `kafka://` on-failure destination, or, without
 * one, skips them (retries exhausted) or drops them (registry failures), which is logged here. Returns how many
 * were written to the destination.
 */
export async function giveUpOn(
  records: ReadonlyArray<{ readonly message: EventMessage & { partition: number; offset: number }; readonly attempts: number }>,
  condition: FailureCondition,
  options: {
    readonly producer: Producer;
    readonly logger: Logger;
    readonly functionName: string;
    readonly destination?: string | undefined;
  },
): Promise<number> {
  const { producer, logger, functionName } = options;
  const destination = options.destination?.startsWith('kafka://') ? options.destination.slice('kafka://'.length) : undefined;
  if (destination) {
    await producer.send({
      topic: destination,
      acks: -1,
      messages: records.map((record) => failureDestinationMessage(record.message, condition, functionName, record.attempts)),
    });
    return records.length;
  }
  if (condition === 'RetriesExhausted') {
    logger.warn('retries exhausted and no on-failure destination: records skipped, as Lambda would', {
      function: functionName,
      records: records.length,
    });
  } else {
    // Lambda drops these silently; say it loudly here.
    logger.error(`${condition}: records DROPPED, as Lambda drops them when the mapping has no on-failure destination`, {
      function: functionName,
      records: records.length,
      offsets: records.map((r) => `${r.message.topic}-${r.message.partition}@${r.message.offset}`).slice(0, 10),
    });
  }
  return 0;
}
