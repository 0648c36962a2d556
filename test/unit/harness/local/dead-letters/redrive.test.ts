import { describe, expect, it } from 'vitest';
import { redriveDecision } from '../../../../../src/harness/local/dead-letters/redrive.js';
import type { ReadRecord } from '../../../../../src/harness/local/records/topic-reader.js';
import { buildKafkaEvent } from '../../../../../src/harness/testing/build-event.js';
import { PermanentError } from '../../../../../src/runtime/errors/index.js';
import { parseKafkaEvent } from '../../../../../src/runtime/event/parse.js';
import { deadLetterMessage } from '../../../../../src/runtime/router/dead-letter.js';

/** A dead letter as the router writes it, read back as the redrive reads records. */
function deadLetterOf(event: unknown, error: unknown, offset = 0): ReadRecord {
  const record = parseKafkaEvent(event).lanes[0]?.records[0];
  if (!record) throw new Error('no record');
  const message = deadLetterMessage('orders.DLT', record, error, 'route');
  return {
    topic: 'orders.DLT',
    partition: 0,
    offset,
    key: message.key,
    value: message.value,
    headers: [...message.headers],
    timestamp: 1_000,
  };
}

const good = () =>
  buildKafkaEvent([{ topic: 'orders', key: 'k', value: { n: 1 }, headers: { traceparent: '00-a-b-01', 'x-tag': 't' } }], { timestamp: 5 });

describe('redriveDecision', () => {
  it('sends a dead letter back to its original topic with its original headers and a redrive count of 1', () => {
    const decision = redriveDecision(deadLetterOf(good(), new PermanentError('bad')), { topic: 'orders.DLT', filter: {} });
    expect(decision).toMatchObject({ to: 'orders' });
    if (!('to' in decision)) throw new Error('skipped');
    expect(Object.keys(decision.headers)).toEqual(['traceparent', 'x-tag', 'kafka_dlt-redrive-count']);
    expect(decision.headers['kafka_dlt-redrive-count']?.[0]?.toString()).toBe('1');
  });

  it('counts up on a record that was redriven before and failed again', () => {
    const again = buildKafkaEvent([{ topic: 'orders', value: { n: 1 }, headers: { 'kafka_dlt-redrive-count': '2' } }]);
    const decision = redriveDecision(deadLetterOf(again, new PermanentError('bad')), { topic: 'orders.DLT', filter: {} });
    expect('to' in decision && decision.headers['kafka_dlt-redrive-count']?.map(String)).toEqual(['3']);
  });

  it('applies the filters and says why it passes a record over', () => {
    const record = deadLetterOf(good(), new PermanentError('no such customer'), 7);
    const decide = (filter: Parameters<typeof redriveDecision>[1]['filter']) => redriveDecision(record, { topic: 'orders.DLT', filter });
    expect(decide({ exception: 'PermanentError' })).toHaveProperty('to', 'orders');
    expect(decide({ exception: 'DecodeError' })).toEqual({ reason: 'exception does not match --where' });
    expect(decide({ message: 'customer' })).toHaveProperty('to');
    expect(decide({ since: 2_000 })).toEqual({ reason: 'before --since' });
    expect(decide({ until: 1_000 })).toEqual({ reason: 'not before --until' });
    expect(decide({ offsets: { from: 0, to: 6 } })).toEqual({ reason: 'outside --offset-range' });
    expect(redriveDecision(record, { topic: 'orders.DLT', filter: {}, to: 'orders.retry' })).toHaveProperty('to', 'orders.retry');
  });

  it('redrives a value that was not base64 in the event as the text the dead letter carries, with a warning', () => {
    const event = good();
    const lane = Object.values(event.records)[0];
    if (lane?.[0]) (lane[0] as { value: string }).value = 'not base64!';
    const record = deadLetterOf(event, new PermanentError('bad'));
    expect(Buffer.from(record.value as Buffer).toString()).toBe('not base64!');
    const decision = redriveDecision(record, { topic: 'orders.DLT', filter: {} });
    expect(decision).toMatchObject({ to: 'orders', warning: expect.stringContaining('was not valid base64') });
    expect('to' in decision && Object.keys(decision.headers)).not.toContain('x-dlt-not-base64');
  });

  it('will not send a record without an original topic unless told where', () => {
    const plain: ReadRecord = { topic: 'orders.DLT', partition: 0, offset: 0, value: Buffer.from('{}'), headers: [] };
    expect(redriveDecision(plain, { topic: 'orders.DLT', filter: {} })).toEqual({
      reason: 'no kafka_dlt-original-topic header (pass --to)',
    });
  });
});
