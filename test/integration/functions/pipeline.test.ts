import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyCustomersSample, reserveStockSample, validateOrdersSample } from '../../../functions/samples.js';
import { TOPICS } from '../../../functions/topics.js';
import { buildKafkaEvent } from '../../../src/harness/testing/build-event.js';
import type { KafkaLambdaHandler } from '../../../src/runtime/lambda/handler.js';
import { setEnv } from '../../support/env.js';
import { consume, createTopics, headerText, testKafka, testKafkaClient } from '../../support/kafka.js';
import { lambdaContext } from '../../support/lambda.js';

// The deployed function entries, run against the real broker: each publishes, and what it
// published is consumed back from Kafka. (The app's topic names are fixed, so this file runs once per broker.)
const kafka = testKafkaClient();
let entries: Record<'validate' | 'reserve' | 'notify', KafkaLambdaHandler>;
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = setEnv({ KAFKA_BROKERS: testKafka().brokers.join(','), LOG_LEVEL: 'silent' });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const topics = [...Object.values(TOPICS), `${TOPICS.ordersPlaced}.DLT`].filter((topic) => !existing.has(topic));
  await createTopics(
    admin,
    topics.map((topic) => ({ topic, numPartitions: 2 })),
  );
  await admin.disconnect();
  entries = {
    validate: (await import('../../../functions/validate-orders.js')).handler,
    reserve: (await import('../../../functions/reserve-stock.js')).handler,
    notify: (await import('../../../functions/notify-customers.js')).handler,
  };
});
afterAll(() => restoreEnv());

describe('the example functions against the real broker', () => {
  it('publish what the pipeline promises, and it can be consumed downstream', async () => {
    // The app's topics are shared by every test on this broker: count only what this test produced.
    const topics = [
      TOPICS.ordersValidated,
      TOPICS.ordersRejected,
      `${TOPICS.ordersPlaced}.DLT`,
      TOPICS.stockReserved,
      TOPICS.emailNotifications,
      TOPICS.smsNotifications,
    ];
    const admin = kafka.admin();
    await admin.connect();
    const start = new Map<string, number>();
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) start.set(`${topic}-${p.partition}`, Number(p.high));
    await admin.disconnect();
    const context = lambdaContext();
    expect(await entries.validate(buildKafkaEvent(validateOrdersSample), context)).toEqual({ batchItemFailures: [] });
    expect(await entries.reserve(buildKafkaEvent(reserveStockSample), context)).toEqual({ batchItemFailures: [] });
    expect(await entries.notify(buildKafkaEvent(notifyCustomersSample), context)).toEqual({ batchItemFailures: [] });

    const isNew = (m: { topic: string; partition: number; offset: string }) =>
      Number(m.offset) >= (start.get(`${m.topic}-${m.partition}`) ?? 0);
    const received = (await consume(kafka, topics, (all) => all.filter(isNew).length >= 2 + 1 + 1 + 5 + 3 + 3)).filter(isNew);
    const count = (topic: string) => received.filter((m) => m.topic === topic).length;
    expect(count(TOPICS.ordersValidated)).toBe(2);
    expect(count(TOPICS.ordersRejected)).toBe(1);
    expect(count(`${TOPICS.ordersPlaced}.DLT`)).toBe(1);
    expect(count(TOPICS.stockReserved)).toBe(5);
    expect(count(TOPICS.emailNotifications)).toBe(3);
    expect(count(TOPICS.smsNotifications)).toBe(3);

    const validated = received.find((m) => m.topic === TOPICS.ordersValidated && m.key?.toString() === 'cus-2');
    expect(JSON.parse(validated?.value?.toString() ?? '{}')).toMatchObject({ orderId: 'ord-00001', total: 33 });
    expect(validated && headerText(validated, 'x-correlation-id')).toBe('checkout-1');
    const email = received.find((m) => m.topic === TOPICS.emailNotifications);
    expect(JSON.parse(email?.value?.toString() ?? '{}')).toMatchObject({ subject: expect.stringMatching(/^Order ord-\d+ is on its way$/) });
  });
});
