import * as semconv from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import { SEMCONV } from '../../../../src/runtime/trace/attributes.js';

describe('SEMCONV', () => {
  it('spells every name as @opentelemetry/semantic-conventions 1.45 does, none of them deprecated there', () => {
    expect(SEMCONV).toEqual({
      messagingSystem: semconv.ATTR_MESSAGING_SYSTEM,
      operationType: semconv.ATTR_MESSAGING_OPERATION_TYPE,
      operationName: semconv.ATTR_MESSAGING_OPERATION_NAME,
      destinationName: semconv.ATTR_MESSAGING_DESTINATION_NAME,
      partitionId: semconv.ATTR_MESSAGING_DESTINATION_PARTITION_ID,
      consumerGroupName: semconv.ATTR_MESSAGING_CONSUMER_GROUP_NAME,
      batchMessageCount: semconv.ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
      messageId: semconv.ATTR_MESSAGING_MESSAGE_ID,
      kafkaOffset: semconv.ATTR_KAFKA_OFFSET,
      kafkaMessageKey: semconv.ATTR_KAFKA_MESSAGE_KEY,
      kafkaTombstone: semconv.ATTR_KAFKA_MESSAGE_TOMBSTONE,
      errorType: semconv.ATTR_ERROR_TYPE,
      faasTrigger: semconv.ATTR_FAAS_TRIGGER,
    });
    expect(semconv.MESSAGING_SYSTEM_VALUE_KAFKA).toBe('kafka');
    expect(semconv.MESSAGING_OPERATION_TYPE_VALUE_PROCESS).toBe('process');
    expect(semconv.MESSAGING_OPERATION_TYPE_VALUE_SEND).toBe('send');
  });
});
