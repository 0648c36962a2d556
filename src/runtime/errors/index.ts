import { describeError, formatCoordinates, type RecordCoordinates } from './format.js';

export type { RecordCoordinates } from './format.js';

/** Every error this library throws or reports has one of these codes. */
export type KafkaRouterErrorCode =
  | 'INVALID_EVENT'
  | 'DECODE_FAILED'
  | 'SCHEMA_INVALID'
  | 'PERMANENT'
  | 'NO_ROUTE'
  | 'CONFIG'
  | 'INVARIANT'
  | 'TIME_BUDGET'
  | 'BATCH_FAILED'
  | 'PUBLISH_FAILED'
  | 'CONNECTION_FAILED'
  | 'SCHEMA_NOT_FOUND'
  | 'REGISTRY_UNAVAILABLE'
  | 'PIPELINE_UNSETTLED'
  | 'USAGE'
  | 'TOPIC_NOT_FOUND'
  | 'IDEMPOTENCY'
  | 'BROKER_PREREQUISITE'
  | 'BROKER_JARS'
  | 'BROKER_START'
  | 'INTEROP_PEER';

/** Base of the library's errors: a stable `code`, and the record's coordinates when one is involved. */
export class KafkaRouterError extends Error {
  override name = 'KafkaRouterError';
  readonly code: KafkaRouterErrorCode;
  readonly at: RecordCoordinates | undefined;
  /** Permanent errors are not retried in place: the record is dead-lettered or its lane fails. */
  readonly permanent: boolean;

  constructor(code: KafkaRouterErrorCode, message: string, options: { at?: RecordCoordinates; permanent?: boolean; cause?: unknown } = {}) {
    super(options.at ? `${message} (at ${formatCoordinates(options.at)})` : message, { cause: options.cause });
    this.code = code;
    this.at = options.at;
    this.permanent = options.permanent ?? false;
  }
}

/** The Lambda event is not a Kafka event source mapping event; `path` names the offending field. */
export class InvalidEventError extends KafkaRouterError {
  override name = 'InvalidEventError';
  readonly path: string;

  constructor(path: string, problem: string) {
    super('INVALID_EVENT', `Invalid Kafka event at ${path}: ${problem}`, { permanent: true });
    this.path = path;
  }
}

/** A record's key, value or header could not be decoded (bad base64, bad JSON, codec failure). Permanent. */
export class DecodeError extends KafkaRouterError {
  override name = 'DecodeError';
  /** Which part of the record failed: `key`, `value` or `headers`. */
  readonly part: 'key' | 'value' | 'headers';

  constructor(part: 'key' | 'value' | 'headers', problem: string, at: RecordCoordinates, cause?: unknown) {
    super('DECODE_FAILED', `Cannot decode the ${part}: ${problem}`, { at, permanent: true, cause });
    this.part = part;
  }
}

/** One schema issue: what is wrong and where in the value. */
export interface SchemaIssue {
  readonly message: string;
  readonly path: string;
}

/** A decoded value does not match the route's schema. Permanent. */
export class SchemaValidationError extends KafkaRouterError {
  override name = 'SchemaValidationError';
  readonly issues: readonly SchemaIssue[];

  constructor(issues: readonly SchemaIssue[], at: RecordCoordinates) {
    const summary = issues
      .slice(0, 5)
      .map((issue) => redactQuoted(issue.path ? `${issue.path}: ${issue.message}` : issue.message))
      .join('; ');
    super(
      'SCHEMA_INVALID',
      `The value does not match the route's schema: ${summary}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`,
      {
        at,
        permanent: true,
      },
    );
    this.issues = issues;
  }
}

// Schema libraries quote what they received ('received "4111…"'); the message must not carry value content.
// The issues themselves stay on the error for code that needs them.
function redactQuoted(text: string): string {
  return text.replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"');
}

/** Throw this from a handler when retrying cannot help (bad business data): the record is dead-lettered or its lane fails at once. */
export class PermanentError extends KafkaRouterError {
  override name = 'PermanentError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('PERMANENT', message, { permanent: true, cause: options.cause });
  }
}

/** No route matches the record's topic and the router's `unmatched` policy is `fail` or `dead-letter`. */
export class NoRouteError extends KafkaRouterError {
  override name = 'NoRouteError';

  constructor(at: RecordCoordinates) {
    super('NO_ROUTE', `No route consumes topic '${at.topic}'`, { at, permanent: true });
  }
}

/** A configuration mistake: conflicting routes, bad options, a missing publisher, env or secret setting. Raised as early as possible. */
export class ConfigError extends KafkaRouterError {
  override name = 'ConfigError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIG', message, { permanent: true, cause: options.cause });
  }
}

/** A promise the library makes to itself was broken (a bug in kafka-lambda-router): please report it. */
export class InvariantError extends KafkaRouterError {
  override name = 'InvariantError';

  constructor(message: string, at?: RecordCoordinates) {
    super('INVARIANT', `Internal invariant violated: ${message}`, at ? { at } : {});
  }
}

/** The record was not started because too little invocation time was left; Lambda will deliver it again. */
export class TimeBudgetError extends KafkaRouterError {
  override name = 'TimeBudgetError';

  constructor(at: RecordCoordinates, remainingMs: number, reserveMs: number) {
    super('TIME_BUDGET', `Not started: ${remainingMs} ms left, ${reserveMs} ms are reserved for flushing`, { at });
  }
}

/** Some lanes failed and partial batch responses are off, so the whole batch must be retried. */
export class BatchFailedError extends KafkaRouterError {
  override name = 'BatchFailedError';
  readonly failures: readonly KafkaRouterFailure[];

  constructor(failures: readonly KafkaRouterFailure[]) {
    const first = failures[0];
    super(
      'BATCH_FAILED',
      `${failures.length} partition(s) failed; the batch will be retried. First: ${first ? `${formatCoordinates(first.at)}: ${describeError(first.error)}` : 'none'}`,
      { cause: first?.error },
    );
    this.failures = failures;
  }
}

/** Publishing the invocation's outputs failed; the invocation fails so Lambda retries it. */
export class PublishError extends KafkaRouterError {
  override name = 'PublishError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('PUBLISH_FAILED', message, { cause: options.cause });
  }
}

/**
 * The producer could not connect to a broker: unreachable, refused, a certificate
 * that does not match the dialled host or is not trusted, a TLS/plaintext
 * mismatch, or rejected credentials. `broker` is the host:port dialled; the
 * message names it and the reason, never a credential.
 */
export class ConnectionError extends KafkaRouterError {
  override name = 'ConnectionError';
  /** The `host:port` the client dialled. */
  readonly broker: string;
  /** Why, in a few words (`certificate does not match host`). */
  readonly reason: string;

  constructor(broker: string, reason: string, options: { detail?: string; cause?: unknown } = {}) {
    super('CONNECTION_FAILED', `Cannot connect to Kafka broker ${broker}: ${reason}${options.detail ? ` (${options.detail})` : ''}`, {
      cause: options.cause,
    });
    this.broker = broker;
    this.reason = reason;
  }
}

/** The schema registry does not know the schema a record names (unknown id, deleted version). Permanent: the record is dead-lettered or its lane fails. */
export class SchemaNotFoundError extends KafkaRouterError {
  override name = 'SchemaNotFoundError';
  /** The Confluent schema id or Glue schema version UUID that was asked for. */
  readonly schemaId: string;
  /** Which registry was asked (its description, never credentials). */
  readonly registry: string;

  constructor(schemaId: string, registry: string, options: { at?: RecordCoordinates; cause?: unknown } = {}) {
    super('SCHEMA_NOT_FOUND', `Schema '${schemaId}' not found in ${registry}`, { ...options, permanent: true });
    this.schemaId = schemaId;
    this.registry = registry;
  }
}

/** The schema registry could not be reached or answered with a server error. Retryable: the lane fails and Lambda delivers the records again; nothing is dead-lettered. */
export class RegistryUnavailableError extends KafkaRouterError {
  override name = 'RegistryUnavailableError';

  constructor(message: string, options: { at?: RecordCoordinates; cause?: unknown } = {}) {
    super('REGISTRY_UNAVAILABLE', message, options);
  }
}

/**
 * The idempotency layer could not decide whether a record was already handled:
 * its store failed, or an earlier attempt is still marked in progress. Retryable.
 */
export class IdempotencyError extends KafkaRouterError {
  override name = 'IdempotencyError';

  constructor(message: string, options: { at?: RecordCoordinates; cause?: unknown } = {}) {
    super('IDEMPOTENCY', message, options);
  }
}

/** A failed lane: the first record that did not succeed and why. */
export interface KafkaRouterFailure {
  /** The lane id exactly as Lambda sent it (`"<topic>-<partition>"`): what `batchItemFailures` must echo. */
  readonly lane: string;
  readonly at: RecordCoordinates;
  readonly error: unknown;
}
