import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { HeaderInput } from '../../runtime/event/encode.js';
import type { KafkaEvent } from '../../runtime/event/types.js';
import { createKafkaHandler, routerOf } from '../../runtime/lambda/handler.js';
import type { KafkaBatchResponse } from '../../runtime/lambda/response.js';
import { silentLogger } from '../../runtime/router/logger.js';
import type { MessagePublisher, OutboundMessage } from '../../runtime/router/outbox.js';
import type { Route } from '../../runtime/router/route.js';
import { createRouter, type Router } from '../../runtime/router/router.js';
import { localLambdaContext } from '../local/emulator/lambda-context.js';
import { buildKafkaEvent, type EventMessage } from './build-event.js';
import { type CapturedMessage, capture, valuesWithSchema } from './captured.js';
import { PipelineUnsettledError, TestBrokerError } from './errors.js';
import { type RealPipeline, startRealPipeline } from './real-pipeline.js';

/** Options of {@link createTestBroker}. */
export interface TestBrokerOptions {
  /** Lambda entries made with `createKafkaHandler` (their routers are reused), e.g. `import { handler } from '../functions/validate-orders.js'`. */
  readonly handlers?: readonly unknown[];
  /** Or plain routes: each becomes its own function. */
  readonly routes?: readonly Route[];
  /** Deliver what handlers publish on to the handlers that consume it, until quiet (default false; always on with `withReal`). */
  readonly followChain?: boolean;
  /** Deliveries after which a chain that keeps publishing is declared a cycle (default 1000). */
  readonly maxDeliveries?: number;
  /** Run through a real broker (the local one, or `KAFKA_BROKERS`) and the ESM emulator instead of in memory. */
  readonly withReal?: boolean;
}

/** One message for {@link TestBroker.publishBatch}. */
export interface TestMessage {
  readonly value: unknown;
  readonly key?: string | null;
  readonly headers?: HeaderInput;
  readonly partition?: number;
}

/** Options of {@link TestBroker.publish}. */
export interface TestPublishOptions {
  readonly key?: string | null;
  readonly headers?: HeaderInput;
  readonly partition?: number;
  /** What `context.getRemainingTimeInMillis()` starts at (default 60 s): exercise the time budget. */
  readonly remainingMs?: number;
}

/** One function invocation the broker made. */
export interface TestInvocation {
  readonly functionName: string;
  readonly event: KafkaEvent;
  readonly response: KafkaBatchResponse | undefined;
  /** Set when the function threw (Lambda would retry the whole batch). */
  readonly error: unknown;
}

/** What happened after a publish. */
export interface TestPublishResult {
  /** The partial batch response of the first invocation (the one that received the published records). */
  readonly response: KafkaBatchResponse | undefined;
  /** The first invocation's error, if it threw. */
  readonly error: unknown;
  readonly invocations: readonly TestInvocation[];
  /** Outputs published as a consequence (the whole chain with `followChain`). */
  readonly published: readonly CapturedMessage[];
  readonly deadLettered: readonly CapturedMessage[];
}

/** A broker for users' tests: publish a value, the matching handler runs, see what it published. */
export interface TestBroker {
  publish(topic: string, value: unknown, options?: TestPublishOptions): Promise<TestPublishResult>;
  /** Many messages as one invocation (batch handlers, partial failures). */
  publishBatch(
    topic: string,
    messages: readonly TestMessage[],
    options?: Pick<TestPublishOptions, 'remainingMs'>,
  ): Promise<TestPublishResult>;
  /** Everything published to `topic` so far. */
  messages(topic: string): CapturedMessage[];
  /** The decoded values published to `topic`; with a schema, validated and typed by it. */
  values(topic: string): unknown[];
  values<S extends StandardSchemaV1>(topic: string, schema: S): Array<StandardSchemaV1.InferOutput<S>>;
  /** Waits until `topic` has received `count` messages. */
  waitFor(topic: string, count: number, timeoutMs?: number): Promise<CapturedMessage[]>;
  /** Forgets captured messages. */
  clear(): void;
  /** Stops the real pipeline, if any. */
  close(): Promise<void>;
}

/** A function the broker runs: its router and a handler rebuilt around the capturing publisher. */
export interface TestFunction {
  readonly name: string;
  readonly router: Router;
  readonly consumes: (topic: string) => boolean;
}

/**
 * FastStream's TestKafkaBroker, for Lambda: `publish` builds a real-shaped ESM
 * event (the same builder as `events/`), invokes the handler that consumes the
 * topic with a Lambda-like context, and returns the partial batch response and
 * what was published or dead-lettered. `withReal: true` runs the same test through
 * Kafka and the ESM emulator.
 */
export async function createTestBroker(options: TestBrokerOptions): Promise<TestBroker> {
  const functions = collectFunctions(options);
  const captured: CapturedMessage[] = [];
  if (options.withReal) return realBroker(await startRealPipeline(functions, captured), captured);

  let current: OutboundMessage[] = [];
  const publisher: MessagePublisher = {
    async publish(messages) {
      for (const message of messages) current.push(message);
    },
  };
  const lambdas = functions.map((fn) => ({ fn, handler: createKafkaHandler(fn.router, { publisher }) }));
  const offsets = new Map<string, number>();
  const follow = options.followChain ?? false;
  const maxDeliveries = options.maxDeliveries ?? 1_000;

  const invokeAll = async (
    topic: string,
    messages: EventMessage[],
    remainingMs: number,
    required: boolean,
  ): Promise<{ invocations: TestInvocation[]; outputs: OutboundMessage[] }> => {
    const consumers = lambdas.filter(({ fn }) => fn.consumes(topic));
    if (consumers.length === 0 && required)
      throw new TestBrokerError(`No handler consumes topic '${topic}' (handlers consume: ${functions.map((f) => f.name).join(', ')})`);
    const stamped = messages.map((message) => {
      const lane = `${topic}-${message.partition ?? 0}`;
      const offset = offsets.get(lane) ?? 0;
      offsets.set(lane, offset + 1);
      return { ...message, topic, offset };
    });
    const invocations: TestInvocation[] = [];
    const outputs: OutboundMessage[] = [];
    for (const { fn, handler } of consumers) {
      const event = buildKafkaEvent(stamped);
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

  const run = async (topic: string, messages: EventMessage[], remainingMs: number): Promise<TestPublishResult> => {
    const first = await invokeAll(topic, messages, remainingMs, true);
    const invocations = [...first.invocations];
    const all = [...first.outputs];
    let pending = first.outputs;
    let deliveries = 0;
    while (follow && pending.length > 0) {
      const byTopic = new Map<string, EventMessage[]>();
      for (const message of pending) {
        const list = byTopic.get(message.topic) ?? [];
        list.push({ topic: message.topic, key: message.key, value: message.value, headers: [...message.headers] });
        byTopic.set(message.topic, list);
      }
      pending = [];
      for (const [topic, list] of byTopic) {
        deliveries += list.length;
        if (deliveries > maxDeliveries) throw new PipelineUnsettledError(deliveries, [...byTopic.keys()]);
        const next = await invokeAll(topic, list, remainingMs, false);
        invocations.push(...next.invocations);
        pending.push(...next.outputs);
        all.push(...next.outputs);
      }
    }
    const decoded = all.map(capture);
    captured.push(...decoded);
    return {
      response: first.invocations[0]?.response,
      error: first.invocations[0]?.error,
      invocations,
      published: decoded.filter((m) => m.kind === 'output'),
      deadLettered: decoded.filter((m) => m.kind === 'dead-letter'),
    };
  };

  return {
    publish: (topic, value, opts = {}) =>
      run(
        topic,
        [{ topic, value, key: opts.key ?? null, headers: opts.headers ?? {}, partition: opts.partition ?? 0 }],
        opts.remainingMs ?? 60_000,
      ),
    publishBatch: (topic, messages, opts = {}) =>
      run(
        topic,
        messages.map((m) => ({ topic, value: m.value, key: m.key ?? null, headers: m.headers ?? {}, partition: m.partition ?? 0 })),
        opts.remainingMs ?? 60_000,
      ),
    ...accessors(captured, async () => undefined),
    close: async () => undefined,
  };
}

function realBroker(pipeline: RealPipeline, captured: CapturedMessage[]): TestBroker {
  const run = async (topic: string, messages: readonly TestMessage[]): Promise<TestPublishResult> => {
    const before = { captured: captured.length, invocations: pipeline.invocations.length };
    await pipeline.produce(topic, messages);
    await pipeline.settled();
    const invocations = pipeline.invocations.slice(before.invocations);
    const since = captured.slice(before.captured);
    const first = invocations.find((i) => Object.values(i.event.records).some((records) => records.some((r) => r.topic === topic)));
    return {
      response: first?.response,
      error: first?.error,
      invocations,
      published: since.filter((m) => m.kind === 'output'),
      deadLettered: since.filter((m) => m.kind === 'dead-letter'),
    };
  };
  return {
    publish: (topic, value, opts = {}) =>
      run(topic, [{ value, key: opts.key ?? null, ...(opts.headers ? { headers: opts.headers } : {}), partition: opts.partition ?? 0 }]),
    publishBatch: (topic, messages) => run(topic, messages),
    ...accessors(captured, () => pipeline.settled()),
    close: () => pipeline.close(),
  };
}

function accessors(captured: CapturedMessage[], settle: () => Promise<void>) {
  const messages = (topic: string) => captured.filter((m) => m.topic === topic);
  function values(topic: string): unknown[];
  function values<S extends StandardSchemaV1>(topic: string, schema: S): Array<StandardSchemaV1.InferOutput<S>>;
  function values(topic: string, schema?: StandardSchemaV1): unknown[] {
    return schema ? valuesWithSchema(messages(topic), schema) : messages(topic).map((m) => m.value);
  }
  return {
    messages,
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
