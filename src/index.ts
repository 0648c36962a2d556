// The public API of kafka-lambda-router. Handler modules and function entries import from here only.

export type { KafkaRouterErrorCode, KafkaRouterFailure, RecordCoordinates, SchemaIssue } from './errors.js';
export {
  BatchFailedError,
  DecodeError,
  formatCoordinates,
  InvalidEventError,
  isPermanent,
  KafkaRouterError,
  NoRouteError,
  PermanentError,
  PipelineUnsettledError,
  PublishError,
  RouteConfigError,
  SchemaValidationError,
  TimeBudgetError,
} from './errors.js';
export type { BuildEventOptions, EventMessage, HeaderInput } from './event/build.js';
export { buildKafkaEvent, SAMPLE_BOOTSTRAP_SERVERS, SAMPLE_CLUSTER_ARN } from './event/build.js';
export type { Codec } from './event/codec.js';
export { bytes, json, text } from './event/codec.js';
export type { KafkaHeader, KafkaHeaders } from './event/headers.js';
export type { Lane, ParsedKafkaEvent } from './event/parse.js';
export { parseKafkaEvent } from './event/parse.js';
export type { KafkaRecord } from './event/record.js';
export type { KafkaEvent, MskEvent, RawKafkaHeader, RawKafkaRecord, SchemaMetadata, SelfManagedKafkaEvent } from './event/types.js';
export type { KafkaHandlerOptions, KafkaLambdaHandler } from './lambda/handler.js';
export { createKafkaHandler } from './lambda/handler.js';
export type { KafkaBatchItemFailure, KafkaBatchResponse } from './lambda/response.js';
export { toBatchResponse } from './lambda/response.js';
export type { KafkaAuth, KafkaAuthMechanism } from './publish/auth.js';
export { authFromEnv } from './publish/auth.js';
export { createDefaultPublisher } from './publish/default.js';
export { createDryRunPublisher, DRY_RUN_LABEL } from './publish/dry-run.js';
export type { KafkaPublisher, KafkaPublisherOptions } from './publish/kafka.js';
export { createKafkaPublisher } from './publish/kafka.js';
export type { MemoryPublisher } from './publish/memory.js';
export { createMemoryPublisher } from './publish/memory.js';
export { DLT_HEADERS, defaultDeadLetterTopic } from './router/dead-letter.js';
export type { DispatchOptions, DispatchReport } from './router/dispatch.js';
export { dispatch } from './router/dispatch.js';
export type { LaneReport } from './router/lane.js';
export { deterministicMessageId, LINEAGE_HEADERS } from './router/lineage.js';
export type { Logger, LogLevel } from './router/logger.js';
export { jsonLogger, silentLogger } from './router/logger.js';
export type { MessagePublisher, OutboundMessage, PublishInvocation } from './router/outbox.js';
export type { PublisherOptions, PublisherSpec } from './router/publishers.js';
export { to } from './router/publishers.js';
export type { RetryPolicy } from './router/retry.js';
export type {
  BatchContext,
  BatchItem,
  BatchRoute,
  HandlerContext,
  LambdaContext,
  PublishOptions,
  RecordRoute,
  Route,
  RouteValue,
} from './router/route.js';
export { defineBatchRoute, defineRoute } from './router/route.js';
export type { Router, RouterOptions, UnmatchedPolicy } from './router/router.js';
export { createRouter } from './router/router.js';
