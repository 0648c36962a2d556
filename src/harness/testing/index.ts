// kafka-lambda-router/testing: the test broker and event fixtures for users' tests. A separate entry so that
// function bundles, which import only the main entry, never carry the harness.

// The raw shapes of an event's records, for tests that build or mutate events by hand.
export type { RawKafkaHeader, RawKafkaRecord, SchemaMetadata } from '../../runtime/event/types.js';
export type { FilterPattern } from '../filter-criteria/kafka-filter.js';
export type { BuildEventOptions, EventMessage } from './build-event.js';
export { buildKafkaEvent } from './build-event.js';
export type { CapturedMessage } from './captured.js';
export { valuesWithSchema } from './captured.js';
export type { DeadLetterHeaders } from './dead-letter-headers.js';
export { REDRIVE_COUNT_HEADER, readDeadLetterHeaders } from './dead-letter-headers.js';
export { PipelineUnsettledError, TestBrokerError } from './errors.js';
export type { MemoryPublisher } from './memory-publisher.js';
export { createMemoryPublisher } from './memory-publisher.js';
export { createTestBroker } from './test-broker.js';
export type {
  DeadLetter,
  TestBroker,
  TestBrokerOptions,
  TestInvocation,
  TestMessage,
  TestPublishOptions,
  TestPublishResult,
} from './types.js';
