import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describeError, formatCoordinates } from '../errors/format.js';
import { BatchFailedError, ConfigError, PublishError } from '../errors/index.js';
import { type ParsedKafkaEvent, parseKafkaEvent } from '../event/parse.js';
import type { KafkaEvent } from '../event/types.js';
import { INVOCATION_OBSERVER, type MetricsSink, notifyObserver, oldestRecordAge } from '../metrics/emf.js';
import { type DispatchReport, dispatch } from '../router/dispatch.js';
import { invocationLogger } from '../router/log-adapter.js';
import type { MessagePublisher } from '../router/outbox.js';
import type { Router } from '../router/router.js';
import { endInvocation, type InvocationTrace, startInvocation, traceFlush } from '../trace/tracing.js';
import { type KafkaBatchResponse, toBatchResponse } from './response.js';

/** Options of {@link createKafkaHandler}. */
export interface KafkaHandlerOptions {
  /** Where outputs and dead letters go. Required when a route publishes or dead-letters. */
  readonly publisher?: MessagePublisher;
  /**
   * `true` (default): return Lambda's partial batch response (needs `FunctionResponseTypes: [ReportBatchItemFailures]`).
   * `false`: throw {@link BatchFailedError} when any record failed, so Lambda retries the whole batch.
   */
  readonly partialBatchResponse?: boolean;
  /** Called with every invocation's dispatch report, before the flush (metrics, tests). */
  readonly onReport?: (report: DispatchReport) => void;
  /** The event source mapping's consumer group id, for the invocation span (Lambda's event does not carry it). */
  readonly consumerGroup?: string;
  /** Per-invocation metrics, off by default: `emfMetrics()` from `kafka-lambda-router/metrics` writes CloudWatch EMF. */
  readonly metrics?: MetricsSink;
}

/** The Lambda handler: a middy instance, so `.use()` your middlewares (Powertools logger, tracer…). */
export type KafkaLambdaHandler = middy.MiddyfiedHandler<KafkaEvent, KafkaBatchResponse, Error, Context>;

/**
 * Builds the Lambda entry for a router: validates the event, dispatches it,
 * flushes the outbox once, then answers with the partial batch response. A
 * failed flush throws, so Lambda retries and nothing is lost.
 */
export function createKafkaHandler(router: Router, options: KafkaHandlerOptions = {}): KafkaLambdaHandler {
  const { publisher } = options;
  if (router.needsPublisher && !publisher) {
    throw new ConfigError('Some routes publish or dead-letter, but createKafkaHandler got no publisher');
  }
  const partial = options.partialBatchResponse ?? true;

  // middy's early timeout is off: the router's own time budget stops starting records in time and still
  // answers with an exact partial response, and middy's timer overflows (fires at once) for remaining
  // times above 2^31-1 ms, which local runners report.
  const handler = middy<KafkaEvent, KafkaBatchResponse, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(
    async (event: KafkaEvent, context: Context | undefined) => {
      const parsed = parseKafkaEvent(event);
      const traced = startInvocation(parsed, { consumerGroup: options.consumerGroup });
      try {
        const response = await invoke(parsed, context, traced);
        if (traced) endInvocation(traced);
        return response;
      } catch (error) {
        if (traced) endInvocation(traced, error);
        throw error;
      }
    },
  );
  async function invoke(parsed: ParsedKafkaEvent, context: Context | undefined, traced: InvocationTrace | undefined) {
    const observing = options.metrics !== undefined || INVOCATION_OBSERVER in globalThis;
    const started = observing ? performance.now() : 0;
    const oldestRecordAgeMs = observing ? oldestRecordAge(parsed.lanes, Date.now()) : undefined;
    const report = await dispatch(router, parsed, context ? { lambda: context, trace: traced } : { trace: traced });
    options.onReport?.(report);
    const dispatched = observing ? performance.now() : 0;
    let published = report.messages.length === 0;
    try {
      if (report.messages.length > 0) {
        const flush = () => flushMessages(publisher as MessagePublisher, report.messages, parsed);
        await (traced ? traceFlush(traced, report.messages, flush) : flush());
        published = true;
      }
    } finally {
      if (observing) {
        // Once per invocation, after the flush, so OutputsPublished counts only what Kafka acknowledged.
        const flushMs = report.messages.length > 0 ? performance.now() - dispatched : 0;
        const figures = { report, handlerMs: dispatched - started, flushMs, published, oldestRecordAgeMs };
        options.metrics?.record(figures, router.table);
        notifyObserver(figures, router.table);
      }
    }
    const logger = invocationLogger(router.logger, { requestId: context?.awsRequestId, traceId: traced?.span.spanContext().traceId });
    for (const failure of report.failures) {
      logger.error('partition failed; Lambda will redeliver from this offset', {
        lane: failure.lane,
        at: formatCoordinates(failure.at),
        error: describeError(failure.error),
      });
    }
    if (!partial && report.failures.length > 0) throw new BatchFailedError(report.failures);
    return toBatchResponse(report.failures);
  }
  Object.defineProperty(handler, ROUTER, { value: router });
  return handler;
}

async function flushMessages(publisher: MessagePublisher, messages: DispatchReport['messages'], parsed: ParsedKafkaEvent): Promise<void> {
  try {
    await publisher.publish(messages, { bootstrapServers: parsed.bootstrapServers, eventSourceArn: parsed.eventSourceArn });
  } catch (error) {
    throw error instanceof PublishError
      ? error
      : new PublishError(`Flushing ${messages.length} message(s) failed: ${describeError(error)}`, { cause: error });
  }
}

const ROUTER = Symbol.for('kafka-lambda-router.router');

/** The router behind a handler made by {@link createKafkaHandler} (local tools read its topics). */
export function routerOf(handler: unknown): Router | undefined {
  return typeof handler === 'function' ? (handler as unknown as Record<symbol, Router | undefined>)[ROUTER] : undefined;
}
