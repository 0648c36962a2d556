import { randomUUID } from 'node:crypto';
import { Kafka, type KafkaConfig, type LogEntry, logLevel, type Producer } from 'kafkajs';
import type { Logger } from '../router/logger.js';
import type { KafkaAuth } from './auth.js';
import { connectionFailure } from './connection-failure.js';
import { type BrokerSources, type DiscoveryOptions, resolveBrokers } from './discovery.js';
import type { IamTokenSource } from './iam-token.js';
import { kafkajsLineLevel } from './kafkajs-log.js';
import { javaCompatiblePartitioner } from './partitioner.js';
import type { SecretRedactor } from './redact.js';
import { kafkaSecurity } from './security.js';
import { type ProducerSockets, producerSockets } from './socket.js';

/** Settings of the one producer a container keeps. */
export interface ConnectionSettings {
  readonly auth: KafkaAuth;
  readonly brokers: readonly string[] | undefined;
  readonly clientId: string;
  readonly transactionalIdPrefix: string | undefined;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Retries of connecting and metadata requests; sends retry until they succeed (see `connect`). */
  readonly retries: number;
  /** Disconnect after every flush instead of staying warm: a one-shot process exits only once no socket or timer is left. */
  readonly oneShot: boolean;
  readonly aws: DiscoveryOptions & { readonly secretsEndpoint?: string };
  readonly iamTokenSource?: IamTokenSource;
  readonly logger: Logger;
  readonly redactor: SecretRedactor;
}

/**
 * The container's producer: created and connected on first use, reused by
 * every warm invocation, and dropped after a broker error so the next
 * invocation connects afresh. A class because its state and lifetime are real.
 */
export class ProducerConnection {
  private producer: Producer | undefined;
  private sockets: ProducerSockets | undefined;
  private connecting: Promise<Producer> | undefined;
  /** How many times a producer connected (one per cold start unless errors forced a reconnect). */
  connects = 0;
  /** The brokers the current producer talks to. */
  brokers: readonly string[] = [];
  /** The last error kafkajs logged for the current producer (redacted): why a send that never settled was stuck. */
  lastBrokerError: string | undefined;

  constructor(private readonly settings: ConnectionSettings) {}

  /** The connected producer, connecting it if needed. */
  get(sources: BrokerSources): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= this.connect(sources).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * Called after each successful flush. A warm container keeps its producer;
   * a one-shot process (`serverless invoke local`) disconnects it, because the
   * producer's broker sockets and kafkajs's request-timeout interval would
   * keep the event loop, and so the process, alive after the response.
   */
  async release(): Promise<void> {
    if (this.settings.oneShot) await this.reset();
  }

  /**
   * Disconnects and forgets the producer; the next `get` connects again. Its
   * sockets are retired first, so a send still retrying inside kafkajs (a
   * flush given up after its delivery timeout) cannot reconnect behind our back.
   */
  async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.sockets?.retire();
    this.sockets = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private async connect(sources: BrokerSources): Promise<Producer> {
    const { settings } = this;
    const brokers = await resolveBrokers(
      { ...sources, ...(settings.brokers ? { configured: settings.brokers } : {}) },
      settings.auth.mechanism,
      settings.aws,
    );
    const sockets = producerSockets();
    const config: KafkaConfig = {
      clientId: settings.clientId,
      socketFactory: sockets.factory,
      brokers,
      connectionTimeout: settings.connectionTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      retry: { retries: settings.retries, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.log(entry),
      ...(await this.security()),
    };
    const transactionalId = settings.transactionalIdPrefix ? `${settings.transactionalIdPrefix}-${randomUUID()}` : undefined;
    const producer = new Kafka(config).producer({
      createPartitioner: javaCompatiblePartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      // kafkajs's rule for an idempotent producer (it warns on anything less): a send retries retriable
      // broker errors (leader changes, timeouts) until it succeeds, bounded like the Java producer's by a
      // delivery timeout (the publisher's). Connecting keeps the client's bounded `retries`, so a broker
      // that is down still fails the flush quickly and Lambda retries the batch.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 1_000 },
      ...(transactionalId ? { transactionalId } : {}),
    });
    this.lastBrokerError = undefined;
    try {
      await producer.connect();
    } catch (error) {
      sockets.retire();
      throw connectionFailure(error, { brokers, mechanism: settings.auth.mechanism, redactor: settings.redactor });
    }
    this.connects++;
    this.brokers = brokers;
    this.producer = producer;
    this.sockets = sockets;
    return producer;
  }

  private security(): Promise<Pick<KafkaConfig, 'ssl' | 'sasl'>> {
    const { auth, aws, iamTokenSource, redactor } = this.settings;
    return kafkaSecurity(auth, { aws, redactor, ...(iamTokenSource ? { iamTokenSource } : {}) });
  }

  private log(entry: LogEntry): void {
    const { message, error } = entry.log as { message?: string; error?: string };
    const text = this.settings.redactor.redact(`kafkajs ${entry.namespace}: ${message ?? ''}${error ? ` (${error})` : ''}`);
    if (entry.level === logLevel.ERROR) this.lastBrokerError = text;
    this.settings.logger[kafkajsLineLevel(entry)](text);
  }
}
