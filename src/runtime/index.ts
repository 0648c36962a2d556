// kafka-lambda-router: the runtime API. Handler modules and Lambda entries import from here only;
// errors have their own entry (`kafka-lambda-router/errors`), test fixtures theirs (`kafka-lambda-router/testing`),
// the schema codecs and registry clients theirs (`/avro`, `/protobuf`, `/json-schema`, `/registry`) with their types.
// Kept to at most 60 names: test/unit/architecture/public-api.test.ts lists them.

export { PermanentError } from './errors/index.js';
export type { Codec, RecordPart } from './event/codec.js';
export { bytes, json, text } from './event/codec.js';
export type { HeaderInput } from './event/encode.js';
export type { KafkaHeader, KafkaHeaders } from './event/headers.js';
export type { KafkaRecord } from './event/record.js';
export type { KafkaEvent, MskEvent, SelfManagedKafkaEvent } from './event/types.js';
export type { KafkaHandlerOptions, KafkaLambdaHandler } from './lambda/handler.js';
export { createKafkaHandler } from './lambda/handler.js';
export type { KafkaBatchItemFailure, KafkaBatchResponse } from './lambda/response.js';
export type { KafkaAuth, KafkaAuthMechanism } from './publish/auth.js';
export { authFromEnv } from './publish/auth.js';
export { createDefaultPublisher } from './publish/default.js';
export type { KafkaPublisher, KafkaPublisherOptions } from './publish/kafka.js';
export { createKafkaPublisher } from './publish/kafka.js';
export { DLT_HEADERS, defaultDeadLetterTopic } from './router/dead-letter.js';
export type { DispatchReport } from './router/dispatch.js';
export type { IdempotencyOptions, IdempotencyStore, RecordHandler } from './router/idempotency.js';
export { idempotent } from './router/idempotency.js';
export type { LaneReport } from './router/lane.js';
export { LINEAGE_HEADERS } from './router/lineage.js';
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
