import { createKafkaHandler } from '../../runtime/lambda/handler.js';
import type { KafkaBatchResponse } from '../../runtime/lambda/response.js';
import type { MessagePublisher, OutboundMessage } from '../../runtime/router/outbox.js';
import { type FilterPattern, filterableOf, kafkaRecordFilter } from '../filter-criteria/kafka-filter.js';
import { buildKafkaEvent, type EventMessage } from './build-event.js';
import { PipelineUnsettledError, TestBrokerError } from './errors.js';
import { localLambdaContext } from './lambda-context.js';
import type { Delivery, DeliveryResult, TestFunction, TestInvocation, TestMessage } from './types.js';

/** Options of {@link memoryDelivery}. */
export interface MemoryDeliveryOptions {
  readonly followChain: boolean;
  readonly maxDeliveries: number;
  /** Filter criteria per topic: records matching none are not delivered. */
  readonly filterPatterns?: Readonly<Record<string, readonly FilterPattern[]>>;
}

/**
 * In-memory delivery: each delivery builds the exact ESM event (the builder
 * `events/` uses) and calls the consuming handlers with a Lambda-like context;
 * with `followChain`, what they publish is delivered on until quiet.
 */
export function memoryDelivery(functions: readonly TestFunction[], options: MemoryDeliveryOptions): Delivery {
  let current: OutboundMessage[] = [];
  const publisher: MessagePublisher = {
    async publish(messages) {
      for (const message of messages) current.push(message);
    },
  };
  const lambdas = functions.map((fn) => ({ fn, handler: createKafkaHandler(fn.router, { publisher }) }));
  const offsets = new Map<string, number>();
  // Compiled up front: a pattern Lambda would refuse fails createTestBroker, as it would fail the deploy.
  const filters = new Map(Object.entries(options.filterPatterns ?? {}).map(([topic, patterns]) => [topic, kafkaRecordFilter(patterns)]));

  const invokeAll = async (topic: string, messages: readonly EventMessage[], remainingMs: number): Promise<DeliveryResult> => {
    const stamped = messages.map((message) => {
      const lane = `${topic}-${message.partition ?? 0}`;
      const offset = offsets.get(lane) ?? 0;
      offsets.set(lane, offset + 1);
      return { ...message, topic, offset };
    });
    const invocations: TestInvocation[] = [];
    const outputs: OutboundMessage[] = [];
    const keep = filters.get(topic);
    // Lambda filters before batching: records that match no filter take offsets but reach no invocation.
    const admitted = keep ? stamped.filter((message) => keep(filterableOf(message))) : stamped;
    if (admitted.length === 0) return { invocations, outputs };
    for (const { fn, handler } of lambdas.filter(({ fn }) => fn.consumes(topic))) {
      const event = buildKafkaEvent(admitted);
      current = [];
      let response: KafkaBatchResponse | undefined;
      let error: unknown;
      try {
        response = await handler(event, localLambdaContext(fn.name, remainingMs));
      } catch (caught) {
        error = caught;
      }
      invocations.push({ functionName: fn.name, event, response, error });
      for (const message of current) outputs.push(message);
    }
    return { invocations, outputs };
  };

  return {
    async deliver(topic, messages, remainingMs) {
      if (!functions.some((fn) => fn.consumes(topic)))
        throw new TestBrokerError(`No handler consumes topic '${topic}' (handlers consume: ${functions.map((f) => f.name).join(', ')})`);
      const first = await invokeAll(
        topic,
        messages.map((m) => toEventMessage(topic, m)),
        remainingMs,
      );
      const invocations = [...first.invocations];
      const outputs = [...first.outputs];
      let pending: OutboundMessage[] = [...first.outputs];
      let deliveries = 0;
      while (options.followChain && pending.length > 0) {
        const byTopic = new Map<string, EventMessage[]>();
        for (const message of pending) {
          const list = byTopic.get(message.topic) ?? [];
          list.push({ topic: message.topic, key: message.key, value: message.value, headers: [...message.headers] });
          byTopic.set(message.topic, list);
        }
        pending = [];
        for (const [next, list] of byTopic) {
          deliveries += list.length;
          if (deliveries > options.maxDeliveries) throw new PipelineUnsettledError(deliveries, [...byTopic.keys()]);
          const result = await invokeAll(next, list, remainingMs);
          invocations.push(...result.invocations);
          pending.push(...result.outputs);
          outputs.push(...result.outputs);
        }
      }
      return { invocations, outputs };
    },
    settled: async () => undefined,
    close: async () => undefined,
  };
}

function toEventMessage(topic: string, message: TestMessage): EventMessage {
  return { topic, value: message.value, key: message.key ?? null, headers: message.headers ?? {}, partition: message.partition ?? 0 };
}
