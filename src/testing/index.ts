// kafka-lambda-router/testing: the test broker for users' tests. A separate entry so that
// function bundles, which import only the main entry, never carry the local harness.

export { PipelineUnsettledError } from '../errors.js';
export type { CapturedMessage } from './captured.js';
export { valuesWithSchema } from './captured.js';
export type { TestBroker, TestBrokerOptions, TestInvocation, TestMessage, TestPublishOptions, TestPublishResult } from './test-broker.js';
export { createTestBroker } from './test-broker.js';
