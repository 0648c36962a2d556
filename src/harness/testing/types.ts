import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { HeaderInput } from '../../runtime/event/encode.js';
import type { KafkaEvent } from '../../runtime/event/types.js';
import type { KafkaLambdaHandler } from '../../runtime/lambda/handler.js';
import type { KafkaBatchResponse } from '../../runtime/lambda/response.js';
import type { OutboundMessage } from '../../runtime/router/outbox.js';
import type { Route } from '../../runtime/router/route.js';
import type { Router } from '../../runtime/router/router.js';
import type { FilterPattern } from '../filter-criteria/kafka-filter.js';
import type { CapturedMessage } from './captured.js';
import type { DeadLetterHeaders } from './dead-letter-headers.js';

/** Options of {@link createTestBroker}. */
export interface TestBrokerOptions {
  /** Lambda entries made with `createKafkaHandler` (their routers are reused), e.g. `import { handler } from '../functions/validate-orders.js'`. */
  readonly handlers?: readonly KafkaLambdaHandler[];
  /** Or plain routes: each becomes its own function. */
  readonly routes?: readonly Route[];
  /** Deliver what handlers publish on to the handlers that consume it, until quiet (default false; always on with `withReal`). */
  readonly followChain?: boolean;
  /** Deliveries after which a chain that keeps publishing is declared a cycle (default 1000). */
  readonly maxDeliveries?: number;
  /** Run through a real broker (the local one, or `KAFKA_BROKERS`) and the ESM emulator instead of in memory. */
  readonly withReal?: boolean;
  /**
   * Lambda's filter criteria per consumed topic, as `filterPatterns` of the topic's msk/kafka event in
   * serverless.yml: records that match none never reach the handlers (no invocation), as on AWS.
   */
  readonly filterPatterns?: Readonly<Record<string, readonly FilterPattern[]>>;
}

/** One message for {@link TestBroker.publishBatch}. */
export interface TestMessage {
  /** A plain value is encoded with the codec of the route that consumes the topic; a string or Buffer is sent as is. */
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
  /** The dead letters on `topic` so far, with Spring's headers typed (partition and offset as numbers, not bytes). */
  deadLetters(topic: string): DeadLetter[];
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

/** A dead letter the test broker captured, with Spring's `kafka_dlt-*` headers read as Spring writes them. */
export interface DeadLetter extends CapturedMessage {
  readonly deadLetter: DeadLetterHeaders;
}

/** A function the broker runs: its router and a handler rebuilt around the capturing publisher. */
export interface TestFunction {
  readonly name: string;
  readonly router: Router;
  readonly consumes: (topic: string) => boolean;
}

/** What one delivery did: the invocations it caused and the messages they published, in order. */
export interface DeliveryResult {
  readonly invocations: readonly TestInvocation[];
  readonly outputs: readonly OutboundMessage[];
}

/**
 * The test broker's one replaceable part: how messages reach the functions.
 * In memory, events are built and handlers called directly; in real mode,
 * messages go through Kafka and the ESM emulator.
 */
export interface Delivery {
  /** Delivers `messages` to `topic`'s consumers (and on down the chain when following it); resolves when quiet. */
  deliver(topic: string, messages: readonly TestMessage[], remainingMs: number): Promise<DeliveryResult>;
  /** Resolves when nothing is in flight. */
  settled(): Promise<void>;
  close(): Promise<void>;
}
