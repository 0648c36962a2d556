import { describe, expect, it } from 'vitest';
import { readDeadLetterHeaders } from '../../../../src/harness/testing/dead-letter-headers.js';
import { TestBrokerError } from '../../../../src/harness/testing/errors.js';

// Spring Kafka's DeadLetterPublishingRecoverer writes these names (KafkaHeaders.DLT_*), the partition as a
// 4-byte big-endian int and the offset and timestamp as 8-byte big-endian longs: literal bytes, not our constants.
const spring = (): Array<[string, Buffer]> => [
  ['traceparent', Buffer.from('00-abc-01')],
  ['kafka_dlt-original-topic', Buffer.from('orders')],
  ['kafka_dlt-original-partition', Buffer.from([0, 0, 0, 7])],
  ['kafka_dlt-original-offset', Buffer.from([0, 0, 0, 0, 0, 0, 0x01, 0x2c])],
  ['kafka_dlt-original-timestamp', Buffer.from([0, 0, 0x01, 0x9b, 0x79, 0x5c, 0x88, 0x00])],
  ['kafka_dlt-original-timestamp-type', Buffer.from('CreateTime')],
  ['kafka_dlt-exception-fqcn', Buffer.from('org.springframework.kafka.listener.ListenerExecutionFailedException')],
  ['kafka_dlt-exception-message', Buffer.from('boom')],
];

describe('readDeadLetterHeaders', () => {
  it('reads Spring’s binary headers as numbers', () => {
    expect(readDeadLetterHeaders(spring())).toEqual({
      originalTopic: 'orders',
      originalPartition: 7,
      originalOffset: 300,
      originalTimestamp: 0x019b795c8800,
      originalTimestampType: 'CreateTime',
      exceptionFqcn: 'org.springframework.kafka.listener.ListenerExecutionFailedException',
      exceptionMessage: 'boom',
      exceptionStacktrace: undefined,
      notBase64: undefined,
      redriveCount: 0,
    });
  });

  it('reads the redrive count and x-dlt-not-base64', () => {
    const headers = [
      ...spring(),
      ['kafka_dlt-redrive-count', Buffer.from('2')] as [string, Buffer],
      ['x-dlt-not-base64', Buffer.from('value')] as [string, Buffer],
    ];
    expect(readDeadLetterHeaders(headers)).toMatchObject({ redriveCount: 2, notBase64: 'value' });
  });

  it('is undefined for a record that is not a dead letter', () => {
    expect(readDeadLetterHeaders([['x', Buffer.from('1')]])).toBeUndefined();
  });

  it('refuses a partition of the wrong width rather than reading a wrong number', () => {
    const headers = spring().map(([name, value]): [string, Buffer] =>
      name === 'kafka_dlt-original-partition' ? [name, Buffer.from('7')] : [name, value],
    );
    expect(() => readDeadLetterHeaders(headers)).toThrow(TestBrokerError);
    expect(() => readDeadLetterHeaders(headers)).toThrow('kafka_dlt-original-partition: expected a 4-byte big-endian int, got 1 bytes');
  });
});
