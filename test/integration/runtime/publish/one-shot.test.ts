import { describe, expect, it } from 'vitest';
import { createDefaultPublisher } from '../../../../src/runtime/publish/default.js';
import { createKafkaPublisher } from '../../../../src/runtime/publish/kafka.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import type { OutboundMessage } from '../../../../src/runtime/router/outbox.js';
import { consume, createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';

const message = (topic: string, value: string): OutboundMessage => ({
  topic,
  key: null,
  value: Buffer.from(value),
  headers: [],
  source: { topic: 'in', partition: 0, offset: Number(value) },
  sequence: 0,
  kind: 'output',
});

/** Handles and timers that keep this process alive (what a one-shot CLI waits for before it exits). */
const liveResources = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;

/** A new single-partition topic, and a client to read it with. */
async function freshTopic(prefix: string) {
  const out = uniqueTopic(prefix);
  const kafka = testKafkaClient();
  const admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [{ topic: out }]);
  await admin.disconnect();
  return { out, kafka };
}

describe('Kafka publisher: one-shot processes', () => {
  it('disconnects after every flush with disconnectAfterFlush, leaving no socket or timer behind', async () => {
    const { out, kafka } = await freshTopic('one-shot-out');
    const before = liveResources();

    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, disconnectAfterFlush: true, logger: silentLogger });
    const invocation = { bootstrapServers: [], eventSourceArn: undefined };
    await publisher.publish([message(out, '1')], invocation);
    expect(liveResources()).toBeLessThanOrEqual(before);
    await publisher.publish([message(out, '2')], invocation);
    expect(liveResources()).toBeLessThanOrEqual(before);
    expect(publisher.connects).toBe(2);

    const received = await consume(kafka, [out], (all) => all.length >= 2);
    expect(received.map((m) => m.value?.toString())).toEqual(['1', '2']);
  });

  it('is what the default publisher is under serverless invoke local, so the CLI exits once it has printed the response', async () => {
    const { out, kafka } = await freshTopic('invoke-local-out');
    const before = liveResources();

    const publisher = createDefaultPublisher({ brokers: testKafka().brokers, logger: silentLogger }, { IS_LOCAL: 'true' });
    await publisher.publish([message(out, '1')], { bootstrapServers: [], eventSourceArn: undefined });
    expect(liveResources()).toBeLessThanOrEqual(before);

    const received = await consume(kafka, [out], (all) => all.length >= 1);
    expect(received.map((m) => m.value?.toString())).toEqual(['1']);
  });

  it('keeps one warm producer by default, whose sockets and timers stay until close', async () => {
    const out = uniqueTopic('warm-out');
    const admin = testKafkaClient().admin();
    await admin.connect();
    await createTopics(admin, [{ topic: out }]);
    await admin.disconnect();
    const before = liveResources();

    const publisher = createKafkaPublisher({ brokers: testKafka().brokers, logger: silentLogger });
    const invocation = { bootstrapServers: [], eventSourceArn: undefined };
    await publisher.publish([message(out, '1')], invocation);
    await publisher.publish([message(out, '2')], invocation);
    expect(publisher.connects).toBe(1);
    expect(liveResources()).toBeGreaterThan(before);
    await publisher.close();
    expect(liveResources()).toBeLessThanOrEqual(before);
  });
});
