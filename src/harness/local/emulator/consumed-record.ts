import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { EventMessage } from '../../testing/build-event.js';

/** kafkajs's code for a batch stamped by the broker (`message.timestamp.type=LogAppendTime`). */
const LOG_APPEND_TIME = 1;

/** A record as kafkajs consumed it, in the shape the event builder takes (what Lambda's poller would send). */
export function toEventMessage(
  topic: string,
  partition: number,
  message: KafkaMessage,
): EventMessage & { partition: number; offset: number } {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key,
    value: message.value,
    headers: kafkajsHeaderEntries(message.headers),
    timestamp: Number(message.timestamp),
    timestampType: timestampTypeOf(message),
  };
}

/**
 * The record batch's timestamp type, as Lambda reports it. kafkajs decodes it
 * (and, for LogAppendTime topics, the broker's timestamp) into each message's
 * `batchContext` but leaves that out of its types.
 */
function timestampTypeOf(message: KafkaMessage): 'CREATE_TIME' | 'LOG_APPEND_TIME' {
  const { batchContext } = message as KafkaMessage & { batchContext?: { timestampType?: number } };
  return batchContext?.timestampType === LOG_APPEND_TIME ? 'LOG_APPEND_TIME' : 'CREATE_TIME';
}

function kafkajsHeaderEntries(headers: IHeaders | undefined): Array<[string, Buffer]> {
  const pairs: Array<[string, Buffer]> = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value])
      if (item !== undefined) pairs.push([name, Buffer.isBuffer(item) ? item : Buffer.from(String(item))]);
  }
  return pairs;
}
