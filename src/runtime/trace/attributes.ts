/**
 * Attribute names of the OpenTelemetry messaging semantic conventions, as of
 * `@opentelemetry/semantic-conventions` 1.45.0, written out here: that package
 * is 9.6 MB and its incubating entry (where the messaging names live) takes
 * about 90 ms to import, too much for a function's cold start to pay for a few
 * strings. test/unit/runtime/trace/attributes.test.ts checks each against it.
 */
export const SEMCONV = {
  messagingSystem: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destinationName: 'messaging.destination.name',
  partitionId: 'messaging.destination.partition.id',
  consumerGroupName: 'messaging.consumer.group.name',
  batchMessageCount: 'messaging.batch.message_count',
  messageId: 'messaging.message.id',
  kafkaOffset: 'kafka.offset',
  kafkaMessageKey: 'kafka.message.key',
  kafkaTombstone: 'kafka.message.tombstone',
  errorType: 'error.type',
  faasTrigger: 'faas.trigger',
} as const;

/** This router's own attributes, outside the conventions' namespaces. */
export const ROUTER_ATTRIBUTES = {
  route: 'kafka_lambda_router.route',
  outcome: 'kafka_lambda_router.outcome',
  eventSourceArn: 'kafka_lambda_router.event_source_arn',
  topics: 'kafka_lambda_router.topics',
} as const;

/** What became of a record, as its span's outcome attribute says. */
export type RecordOutcome = 'handled' | 'dead-lettered' | 'failed' | 'skipped';
