import { describe, expect, it } from 'vitest';
import { consume, createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { runBuiltCli } from '../../../support/run-cli.js';

const brokers = () => testKafka().brokers.join(',');

describe('kafka-lambda-router produce (the built CLI, against the test broker)', () => {
  it('says the topic does not exist, creates nothing, and exits 1', async () => {
    const topic = uniqueTopic('missing');
    const { code, output } = await runBuiltCli(['produce', topic, '{"a":1}', '--brokers', brokers()]);
    expect(code).toBe(1);
    expect(output).toContain(`error: Topic '${topic}' does not exist on ${brokers()}`);
    const admin = testKafkaClient().admin();
    await admin.connect();
    // The broker auto-creates topics on produce: the CLI must not have produced.
    expect(await admin.listTopics()).not.toContain(topic);
    await admin.disconnect();
  });

  it('sends each element of a JSON array read from standard input, with key and headers, and reports it as JSON', async () => {
    const topic = uniqueTopic('produce');
    const admin = testKafkaClient().admin();
    await admin.connect();
    await createTopics(admin, [{ topic }]);
    await admin.disconnect();
    const { code, stdout } = await runBuiltCli(['produce', topic, '-', '--key', 'k-1', '--header', 'x-trace=abc', '--json'], {
      env: { KAFKA_BROKERS: brokers() },
      input: '[{"n":1},{"n":2},"plain"]',
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ topic, count: 3, partitions: [{ partition: 0, baseOffset: '0' }], brokers: testKafka().brokers });
    const received = await consume(testKafkaClient(), [topic], (all) => all.length >= 3);
    expect(received.map((m) => m.value?.toString())).toEqual(['{"n":1}', '{"n":2}', 'plain']);
    expect(received.map((m) => m.key?.toString())).toEqual(['k-1', 'k-1', 'k-1']);
    expect(received.map((m) => m.headers['x-trace']?.toString())).toEqual(['abc', 'abc', 'abc']);
  });

  it('creates a missing topic with --create', async () => {
    const topic = uniqueTopic('created');
    const { code, output } = await runBuiltCli(['produce', topic, 'hello', '--create', '--brokers', brokers()]);
    expect(code, output).toBe(0);
    expect(output).toContain(`produced 1 message(s) to ${topic}`);
  });
});
