/** Where a record lives in Kafka: enough to find it again, or to report it to Lambda. */
export interface RecordCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** `orders-0@15`: the way coordinates appear in messages and logs. */
export function formatCoordinates(at: RecordCoordinates): string {
  return `${at.topic}-${at.partition}@${at.offset}`;
}

/** Every error this library throws or reports has one of these codes. */
export type KafkaRouterErrorCode =
  | 'INVALID_EVENT'
  | 'DECODE_FAILED'
  | 'SCHEMA_INVALID'
  | 'PERMANENT'
  | 'NO_ROUTE'
  | 'ROUTE_CONFIG'
  | 'TIME_BUDGET'
  | 'BATCH_FAILED'
  | 'PUBLISH_FAILED'
  | 'PIPELINE_UNSETTLED';

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
      .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
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

/** Routes that conflict (same topic twice, same pattern twice, bad options): raised when the router is built. */
export class RouteConfigError extends KafkaRouterError {
  override name = 'RouteConfigError';

  constructor(message: string) {
    super('ROUTE_CONFIG', message, { permanent: true });
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

/** The test broker followed published messages through the pipeline and it never went quiet (a cycle). */
export class PipelineUnsettledError extends KafkaRouterError {
  override name = 'PipelineUnsettledError';

  constructor(deliveries: number, lastTopics: readonly string[]) {
    super(
      'PIPELINE_UNSETTLED',
      `The pipeline did not settle after ${deliveries} deliveries; still publishing to ${lastTopics.join(', ')}. Is there a cycle?`,
    );
  }
}

/** A failed lane: the first record that did not succeed and why. */
export interface KafkaRouterFailure {
  readonly at: RecordCoordinates;
  readonly error: unknown;
}

/** True when retrying the same record cannot change the outcome. */
export function isPermanent(error: unknown): boolean {
  return error instanceof KafkaRouterError && error.permanent;
}

/** `Name: message` for any thrown value, without its stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `non-Error thrown: ${typeof error === 'string' ? error : typeof error}`;
}
