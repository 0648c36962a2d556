import type { Kafka } from 'kafkajs';
import { CliError } from './errors.js';

/** A kafkajs client for a CLI command, and the brokers it talks to. */
export interface ToolKafka {
  readonly kafka: Kafka;
  readonly brokers: readonly string[];
}

/**
 * The cluster a command works on: `--brokers`, else `KAFKA_BROKERS`, else the running `dev`/`kafka` broker;
 * authenticated as the publisher is (`KAFKA_AUTH`: TLS, SCRAM, MSK IAM), so the tools reach a real cluster
 * with the settings its functions use. kafkajs loads here, not when the CLI starts.
 */
export async function toolKafka(options: { brokers?: string | undefined; clientId: string; purpose: string }): Promise<ToolKafka> {
  const [{ Kafka, logLevel }, { parseBrokerList }, { readDevBrokers }, { authFromEnv }, { kafkaSecurity }, { SecretRedactor }] =
    await Promise.all([
      import('kafkajs'),
      import('../local/broker/cluster.js'),
      import('../local/dev-state.js'),
      import('../../runtime/publish/auth.js'),
      import('../../runtime/publish/security.js'),
      import('../../runtime/publish/redact.js'),
    ]);
  const listed = options.brokers ?? process.env.KAFKA_BROKERS;
  const brokers = listed ? parseBrokerList(listed) : readDevBrokers();
  if (!brokers?.length) {
    throw new CliError(
      'CONFIG',
      `No Kafka to ${options.purpose}: start \`kafka-lambda-router dev\` (or \`kafka-lambda-router kafka\`) in another terminal, set KAFKA_BROKERS, or pass --brokers`,
    );
  }
  const security = await kafkaSecurity(authFromEnv(), {
    aws: { ...(process.env.AWS_REGION ? { region: process.env.AWS_REGION } : {}) },
    redactor: new SecretRedactor(),
  });
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 2 },
    ...security,
  });
  return { kafka, brokers };
}

/** Wraps a failure to connect as the CLI's error, naming the brokers (never credentials). */
export function unreachable(brokers: readonly string[], error: unknown): CliError {
  return new CliError('CONFIG', `Cannot reach Kafka at ${brokers.join(',')}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}
