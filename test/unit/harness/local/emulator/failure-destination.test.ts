import { describe, expect, it } from 'vitest';
import { failureDestinationMessage } from '../../../../../src/harness/local/emulator/failure-destination.js';
import { buildKafkaEvent } from '../../../../../src/harness/testing/build-event.js';

describe('failureDestinationMessage', () => {
  const message = {
    topic: 'orders',
    partition: 3,
    offset: 17,
    key: Buffer.from('alice'),
    value: { total: 5 },
    timestamp: 1_700_000_000_000,
  };

  it('keeps the original key and describes the record as Lambda’s on-failure record does', () => {
    const written = failureDestinationMessage(message, 'RetriesExhausted', 'validateOrders', 4);
    expect(written.key).toEqual(Buffer.from('alice'));
    expect(JSON.parse(String(written.value))).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      requestContext: {
        condition: 'RetriesExhausted',
        functionArn: 'arn:aws:lambda:local:000000000000:function:validateOrders',
        approximateInvokeCount: 4,
      },
      KafkaBatchInfo: { topic: 'orders', partition: 3, startOffset: 17, endOffset: 17, batchSize: 1 },
      payload: JSON.parse(JSON.stringify(buildKafkaEvent([message]).records)),
    });
  });

  it('writes a keyless record without a key (Kafka spreads those), and names registry failures as their condition', () => {
    const written = failureDestinationMessage({ ...message, key: null }, 'SCHEMA_NOT_FOUND', 'f', 1);
    expect(written.key).toBeNull();
    expect(JSON.parse(String(written.value)).requestContext.condition).toBe('SCHEMA_NOT_FOUND');
  });
});
