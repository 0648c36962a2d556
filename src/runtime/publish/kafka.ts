import { CompressionTypes, type Producer, type TopicMessages } from 'kafkajs';
import { describeError } from '../errors/format.js';
import { ConfigError, ConnectionError, PublishError } from '../errors/index.js';
import { jsonLogger, type Logger } from '../router/logger.js';
import type { MessagePublisher, OutboundMessage, PublishInvocation } from '../router/outbox.js';
import { authFromEnv, type KafkaAuth } from './auth.js';
import { ProducerConnection } from './connection.js';
import { connectionFailure, failedToDial } from './connection-failure.js';
import type { DiscoveryOptions } from './discovery.js';
import type { IamTokenSource } from './iam-token.js';
import { toTopicMessages } from './messages.js';
import { SecretRedactor } from './redact.js';

/** Options of {@link createKafkaPublisher}. All have defaults from the environment. */
export interface KafkaPublisherOptions {
  /** Default `KAFKA_BROKERS`; else the event's `bootstrapServers`; else `GetBootstrapBrokers` for the event's cluster ARN. */
  readonly brokers?: readonly string[];
  /** Default from `KAFKA_AUTH` (see `authFromEnv`). */
  readonly auth?: KafkaAuth;
  /** Default the Lambda function name. */
  readonly clientId?: string;
  /** `gzip` compresses each batch (kafkajs has gzip built in). Default none. */
  readonly compression?: 'none' | 'gzip';
  /** Each invocation's outputs and dead letters commit or abort together (`read_committed` consumers never see a partial fan-out). */
  readonly transactional?: boolean | { readonly transactionalIdPrefix: string };
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /**
   * kafkajs retries of connecting and metadata requests before the flush fails (default 2: fail fast, let
   * Lambda retry). At least 1. Sends themselves retry retriable broker errors until they succeed, as kafkajs
   * requires of an idempotent producer.
   */
  readonly retries?: number;
  /**
   * How long a flush may wait for the brokers' acknowledgements while kafkajs retries retriable errors
   * (leader changes, request timeouts) before it fails with {@link PublishError} and the producer is
   * dropped; like the Java producer's `delivery.timeout.ms`. Keep it below the function's timeout.
   * Default 30 s.
   */
  readonly deliveryTimeoutMs?: number;
  /**
   * Disconnect after every flush (default false: one warm producer per container). For one-shot processes
   * such as `serverless invoke local`, which exit only when no connection is left open.
   */
  readonly disconnectAfterFlush?: boolean;
  /**
   * Connect during init instead of at the first flush (default false). Lambda runs init with a burst of CPU,
   * and on provisioned concurrency before any request, so the first invocation does not pay for the TCP, TLS
   * and SASL handshakes. Needs `brokers` or `KAFKA_BROKERS` (the event's `bootstrapServers` are not known
   * yet). A failed pre-connect is logged and the first flush connects again.
   */
  readonly preConnect?: boolean;
  /** AWS API settings for discovery and secrets (`endpoint`s point at local stand-ins in tests). */
  readonly aws?: DiscoveryOptions & { readonly secretsEndpoint?: string };
  /** Token source for IAM auth (default: SigV4 with the default credential chain, loaded on first use). */
  readonly iamTokenSource?: IamTokenSource;
  readonly logger?: Logger;
}

/** A publisher that sends each invocation's outbox to Kafka in one batch. */
export interface KafkaPublisher extends MessagePublisher {
  /** Connections made so far (1 while the container stays warm and healthy). */
  readonly connects: number;
  /** Connects the producer now if it is not connected (e.g. awaited at module scope); rejects with ConnectionError as a flush would. */
  connect(): Promise<void>;
  /** Disconnects the producer (SIGTERM, tests). */
  close(): Promise<void>;
}

/**
 * Creates the container's Kafka publisher. Call it at module scope: the
 * producer connects lazily on the first flush and is reused by every warm
 * invocation. Each flush is one `sendBatch` with `acks: all` on an idempotent
 * producer; if it fails, the producer is dropped and the invocation fails with
 * {@link PublishError}, so Lambda retries and nothing is lost. `env` is where
 * `KAFKA_BROKERS`, `KAFKA_AUTH` and the function name are read (default `process.env`).
 */
export function createKafkaPublisher(options: KafkaPublisherOptions = {}, env: NodeJS.ProcessEnv = process.env): KafkaPublisher {
  const retries = options.retries ?? 2;
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 30_000;
  if (!Number.isInteger(deliveryTimeoutMs) || deliveryTimeoutMs < 1) {
    throw new ConfigError('createKafkaPublisher: deliveryTimeoutMs must be a positive integer (milliseconds)');
  }
  if (!Number.isInteger(retries) || retries < 1) {
    throw new ConfigError(
      'createKafkaPublisher: retries must be an integer ≥ 1 (the idempotent producer needs retries to keep order without duplicates)',
    );
  }
  const logger = options.logger ?? jsonLogger();
  const redactor = new SecretRedactor();
  const auth = options.auth ?? authFromEnv(env);
  if (auth.mechanism === 'scram-sha-512') redactor.remember(auth.password);
  const configured =
    options.brokers ??
    (env.KAFKA_BROKERS
      ? env.KAFKA_BROKERS.split(',')
          .map((b) => b.trim())
          .filter(Boolean)
      : undefined);
  const transactionalIdPrefix =
    options.transactional === true
      ? `${env.AWS_LAMBDA_FUNCTION_NAME ?? 'kafka-lambda-router'}-tx`
      : options.transactional
        ? options.transactional.transactionalIdPrefix
        : undefined;
  const connection = new ProducerConnection({
    auth,
    brokers: configured,
    clientId: options.clientId ?? env.AWS_LAMBDA_FUNCTION_NAME ?? 'kafka-lambda-router',
    transactionalIdPrefix,
    connectionTimeoutMs: options.connectionTimeoutMs ?? 3_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    retries,
    oneShot: options.disconnectAfterFlush ?? false,
    aws: options.aws ?? {},
    ...(options.iamTokenSource ? { iamTokenSource: options.iamTokenSource } : {}),
    logger,
    redactor,
  });
  const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;

  const fail = (what: string, error: unknown) =>
    new PublishError(redactor.redact(`${what}: ${describeError(error)}`), {
      cause: error instanceof Error ? new Error(redactor.redact(describeError(error))) : undefined,
    });

  const send = async (producer: Producer, topicMessages: TopicMessages[]): Promise<void> => {
    if (!transactionalIdPrefix) {
      await producer.sendBatch({ topicMessages, acks: -1, compression });
      return;
    }
    const transaction = await producer.transaction();
    try {
      await transaction.sendBatch({ topicMessages, acks: -1, compression });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  };

  const connect = async (): Promise<void> => {
    try {
      await connection.get({ event: [] });
    } catch (error) {
      await connection.reset();
      throw error instanceof ConnectionError ? error : fail(`Cannot connect to Kafka (${auth.mechanism})`, error);
    }
  };
  if (options.preConnect) {
    if (!configured?.length) {
      throw new ConfigError(
        'createKafkaPublisher: preConnect needs brokers (the brokers option or KAFKA_BROKERS): the event that names them has not arrived during init',
      );
    }
    connect().catch((error: unknown) =>
      logger.warn(`Pre-connecting to Kafka failed; the first flush connects again (${describeError(error)})`),
    );
  }
  return {
    get connects() {
      return connection.connects;
    },
    async publish(messages: readonly OutboundMessage[], invocation: PublishInvocation) {
      if (messages.length === 0) return;
      let producer: Producer;
      try {
        producer = await connection.get({
          event: invocation.bootstrapServers,
          ...(invocation.eventSourceArn ? { clusterArn: invocation.eventSourceArn } : {}),
        });
      } catch (error) {
        await connection.reset();
        throw error instanceof ConnectionError ? error : fail(`Cannot connect to Kafka (${auth.mechanism})`, error);
      }
      const topicMessages = toTopicMessages(messages);
      const what = `Publishing ${messages.length} message(s) to ${topicMessages.length} topic(s)`;
      const delivery = send(producer, topicMessages);
      let acknowledged: boolean;
      try {
        acknowledged = await settlesWithin(delivery, deliveryTimeoutMs);
      } catch (error) {
        const brokers = connection.brokers;
        await connection.reset();
        // Dialling another broker (a partition leader) can fail like the first connection did: say so the same way.
        if (failedToDial(error)) throw connectionFailure(error, { brokers, mechanism: auth.mechanism, redactor });
        throw fail(`${what} failed`, error);
      }
      if (!acknowledged) {
        // kafkajs would go on retrying; the producer is dropped (its sockets retired) and Lambda retries the batch.
        delivery.catch(() => undefined);
        const last = connection.lastBrokerError;
        await connection.reset();
        throw new PublishError(
          `${what} was not acknowledged within ${deliveryTimeoutMs} ms; the producer was dropped${last ? ` (last broker error: ${last})` : ''}`,
        );
      }
      await connection.release();
    },
    connect,
    close: () => connection.reset(),
  };
}

/** Waits for `delivery` up to `ms`: true once it resolved, false if it had not settled by then; rejects as it does. */
async function settlesWithin(delivery: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([delivery.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}
