import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaHandler } from '../../runtime/lambda/handler.js';
import { createKafkaPublisher } from '../../runtime/publish/kafka.js';
import { silentLogger } from '../../runtime/router/logger.js';
import type { MessagePublisher, OutboundMessage } from '../../runtime/router/outbox.js';
import type { FilterPattern } from '../filter-criteria/kafka-filter.js';
import { useKafkaCluster } from '../local/broker/cluster.js';
import { startEmulator } from '../local/emulator/emulator.js';
import type { EmulatedFunction } from '../local/emulator/types.js';
import { ensureTopics, fetchTopicOffsets } from '../local/topics.js';
import { TestBrokerError } from './errors.js';
import type { Delivery, TestFunction, TestInvocation } from './types.js';

/**
 * The test broker's real mode: messages go to Kafka (the local broker, or
 * `KAFKA_BROKERS`), the ESM emulator invokes the functions, and they publish
 * through Kafka. Loaded only when a test asks for it (`withReal: true`).
 */
export async function realDelivery(
  functions: readonly TestFunction[],
  filterPatterns: Readonly<Record<string, readonly FilterPattern[]>> = {},
): Promise<Delivery> {
  const cluster = await useKafkaCluster({ log: () => undefined });
  const kafka = new Kafka({ clientId: 'test-broker', brokers: [...cluster.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  const kafkaPublisher = createKafkaPublisher({ brokers: cluster.brokers, auth: { mechanism: 'plaintext' }, logger: silentLogger });
  const tee: MessagePublisher = {
    async publish(messages, invocation) {
      await kafkaPublisher.publish(messages, invocation);
      outputs.push(...messages);
    },
  };
  const invocations: TestInvocation[] = [];
  const outputs: OutboundMessage[] = [];
  const runId = randomUUID().slice(0, 8);
  const sources: Array<{ groupId: string; topic: string }> = [];
  const topics = new Set<string>();
  const emulated: EmulatedFunction[] = functions.map((fn, index) => {
    const handler = createKafkaHandler(fn.router, { publisher: tee });
    const consumed = fn.router.table.routes.map((compiled) => compiled.route.topic);
    if (consumed.some((topic) => typeof topic !== 'string'))
      throw new TestBrokerError(`${fn.name}: pattern routes cannot run in real mode (a consumer needs topic names)`);
    for (const compiled of fn.router.table.routes) {
      for (const topic of compiled.publishers.keys()) topics.add(topic);
      const deadLetter = compiled.deadLetterTopic(String(compiled.route.topic));
      if (deadLetter) topics.add(deadLetter);
    }
    return {
      name: fn.name,
      timeout: 60,
      async invoke(event, context) {
        try {
          const response = await handler(event, context);
          invocations.push({ functionName: fn.name, event, response, error: undefined });
          return response;
        } catch (error) {
          invocations.push({ functionName: fn.name, event, response: undefined, error });
          throw error;
        }
      },
      eventSources: (consumed as string[]).map((topic) => {
        const groupId = `test-broker-${runId}-${index}-${topic}`;
        sources.push({ groupId, topic });
        topics.add(topic);
        const filters = filterPatterns[topic];
        return {
          kind: 'msk' as const,
          topic,
          maximumBatchingWindow: 0,
          consumerGroupId: groupId,
          ...(filters ? { filterPatterns: filters } : {}),
        };
      }),
    };
  });
  await ensureTopics(admin, topics, 3);
  // Fresh groups start at the topics' current end: earlier tests' records are not replayed, and nothing produced from now on is missed.
  for (const { groupId, topic } of sources) {
    const ends = await fetchTopicOffsets(admin, topic);
    await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
  }
  const emulator = await startEmulator({ brokers: cluster.brokers, functions: emulated, logger: silentLogger, retryDelayMs: 50 });
  await emulator.joined();

  const caughtUp = async () => {
    for (const { groupId, topic } of sources) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await fetchTopicOffsets(admin, topic);
      for (const end of ends) {
        const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        if (Number(end.high) > 0 && Number(at) < Number(end.high)) return false;
      }
    }
    return true;
  };

  const settled = async (timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    let quietChecks = 0;
    while (quietChecks < 2) {
      if (Date.now() > deadline) throw new TestBrokerError('The real pipeline did not settle in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
      quietChecks = emulator.idle() && (await caughtUp()) ? quietChecks + 1 : 0;
    }
  };

  return {
    async deliver(topic, messages) {
      const before = { outputs: outputs.length, invocations: invocations.length };
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({
          key: m.key ?? null,
          value: m.value === null ? null : typeof m.value === 'string' ? m.value : JSON.stringify(m.value),
          partition: m.partition ?? 0,
          headers: Object.fromEntries(Array.isArray(m.headers) ? m.headers : Object.entries(m.headers ?? {})),
        })),
      });
      await settled();
      return { invocations: invocations.slice(before.invocations), outputs: outputs.slice(before.outputs) };
    },
    settled: () => settled(),
    async close() {
      await emulator.stop();
      await kafkaPublisher.close();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      await cluster.stop();
    },
  };
}
