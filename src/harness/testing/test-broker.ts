import type { StandardSchemaV1 } from '@standard-schema/spec';
import { routerOf } from '../../runtime/lambda/handler.js';
import { silentLogger } from '../../runtime/router/logger.js';
import { createRouter, type Router } from '../../runtime/router/router.js';
import { kafkaRecordFilter } from '../filter-criteria/kafka-filter.js';
import { type CapturedMessage, capture, valuesWithSchema } from './captured.js';
import { readDeadLetterHeaders } from './dead-letter-headers.js';
import { TestBrokerError } from './errors.js';
import { memoryDelivery } from './memory-delivery.js';
import { readyEncoder } from './route-codec.js';
import type { DeadLetter, TestBroker, TestBrokerOptions, TestFunction, TestMessage, TestPublishResult } from './types.js';

/**
 * FastStream's TestKafkaBroker, for Lambda: `publish` builds a real-shaped ESM
 * event (the same builder as `events/`), invokes the handler that consumes the
 * topic with a Lambda-like context, and returns the partial batch response and
 * what was published or dead-lettered. `withReal: true` runs the same test through
 * Kafka and the ESM emulator.
 */
export async function createTestBroker(options: TestBrokerOptions): Promise<TestBroker> {
  const functions = collectFunctions(options);
  checkFilterPatterns(functions, options.filterPatterns ?? {});
  // The real pipeline (kafkajs, the broker harness, the emulator) loads only when asked for.
  const delivery = options.withReal
    ? await (await import('./real-delivery.js')).realDelivery(functions, options.filterPatterns)
    : memoryDelivery(functions, {
        followChain: options.followChain ?? false,
        maxDeliveries: options.maxDeliveries ?? 1_000,
        ...(options.filterPatterns ? { filterPatterns: options.filterPatterns } : {}),
      });
  const captured: CapturedMessage[] = [];

  const run = async (topic: string, messages: readonly TestMessage[], remainingMs: number): Promise<TestPublishResult> => {
    const { invocations, outputs } = await delivery.deliver(topic, await encodedFor(functions, topic, messages), remainingMs);
    const decoded = outputs.map(capture);
    captured.push(...decoded);
    // The invocation that received the published records.
    const first = invocations.find((i) => Object.values(i.event.records).some((records) => records.some((r) => r.topic === topic)));
    return {
      response: first?.response,
      error: first?.error,
      invocations,
      published: decoded.filter((m) => m.kind === 'output'),
      deadLettered: decoded.filter((m) => m.kind === 'dead-letter'),
    };
  };

  return {
    publish: (topic, value, opts = {}) =>
      run(
        topic,
        [{ value, key: opts.key ?? null, ...(opts.headers ? { headers: opts.headers } : {}), partition: opts.partition ?? 0 }],
        opts.remainingMs ?? DEFAULT_REMAINING_MS,
      ),
    publishBatch: (topic, messages, opts = {}) => run(topic, messages, opts.remainingMs ?? DEFAULT_REMAINING_MS),
    ...accessors(captured, () => delivery.settled()),
    close: () => delivery.close(),
  };
}

const DEFAULT_REMAINING_MS = 60_000;

/**
 * Plain values encoded through the codec of the route that consumes `topic` (Avro, Protobuf, JSON Schema, a custom
 * codec), readied as the router readies it, so a test passes objects, as FastStream's TestKafkaBroker serialises
 * with the application's own serializers. Strings and Buffers are sent as they are (poison pills), JSON routes
 * keep the event builder's JSON encoding. Bare payloads: no registry is contacted.
 */
async function encodedFor(functions: readonly TestFunction[], topic: string, messages: readonly TestMessage[]): Promise<TestMessage[]> {
  const codec = functions.map((fn) => fn.router.table.resolve(topic)).find((compiled) => compiled !== undefined)?.codec;
  const plain = (value: unknown) => value !== null && typeof value !== 'string' && !Buffer.isBuffer(value);
  if (!codec || codec.name === 'json' || !messages.some((m) => plain(m.value))) return [...messages];
  const encoder = await readyEncoder(codec, { topic, part: 'value' }, 'bare');
  return messages.map((message) => (plain(message.value) ? { ...message, value: encoder.encode(message.value) } : message));
}

function accessors(captured: CapturedMessage[], settle: () => Promise<void>) {
  const messages = (topic: string) => captured.filter((m) => m.topic === topic);
  const deadLetters = (topic: string): DeadLetter[] =>
    messages(topic).flatMap((message) => {
      const headers = readDeadLetterHeaders(message.raw.headers);
      return headers ? [{ ...message, deadLetter: headers }] : [];
    });
  function values(topic: string): unknown[];
  function values<S extends StandardSchemaV1>(topic: string, schema: S): Array<StandardSchemaV1.InferOutput<S>>;
  function values(topic: string, schema?: StandardSchemaV1): unknown[] {
    return schema ? valuesWithSchema(messages(topic), schema) : messages(topic).map((m) => m.value);
  }
  return {
    messages,
    deadLetters,
    values,
    async waitFor(topic: string, count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages(topic).length < count) {
        if (Date.now() > deadline)
          throw new TestBrokerError(`Timed out waiting for ${count} message(s) on ${topic}; got ${messages(topic).length}`);
        await settle();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return messages(topic);
    },
    clear() {
      captured.length = 0;
    },
  };
}

/** Filters Lambda would refuse, or filters for a topic no handler consumes (a typo), fail before anything starts. */
function checkFilterPatterns(functions: readonly TestFunction[], filters: NonNullable<TestBrokerOptions['filterPatterns']>): void {
  for (const [topic, patterns] of Object.entries(filters)) {
    if (!functions.some((fn) => fn.consumes(topic)))
      throw new TestBrokerError(
        `filterPatterns for '${topic}': no handler consumes it (handlers consume: ${functions.map((f) => f.name).join(', ')})`,
      );
    kafkaRecordFilter(patterns);
  }
}

function collectFunctions(options: TestBrokerOptions): TestFunction[] {
  const routers: Array<{ name: string; router: Router }> = [];
  for (const [index, handler] of (options.handlers ?? []).entries()) {
    const router = routerOf(handler);
    if (!router) throw new TestBrokerError(`handlers[${index}] was not made with createKafkaHandler`);
    // Named after its routes: a middy handler's own name says nothing.
    routers.push({ name: router.table.routes.map((compiled) => compiled.name).join('+') || `handler-${index}`, router });
  }
  for (const route of options.routes ?? []) {
    routers.push({
      name: route.name ?? String(route.topic),
      router: createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }),
    });
  }
  if (routers.length === 0) throw new TestBrokerError('createTestBroker needs handlers or routes');
  return routers.map(({ name, router }) => ({ name, router, consumes: (topic: string) => router.table.resolve(topic) !== undefined }));
}
