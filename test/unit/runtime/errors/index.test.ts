import { describe, expect, it } from 'vitest';
import {
  BatchFailedError,
  ConfigError,
  ConnectionError,
  DecodeError,
  IdempotencyError,
  InvalidEventError,
  InvariantError,
  KafkaRouterError,
  NoRouteError,
  PermanentError,
  PublishError,
  RegistryUnavailableError,
  SchemaNotFoundError,
  SchemaValidationError,
  TimeBudgetError,
} from '../../../../src/runtime/errors/index.js';

const at = { topic: 'orders', partition: 2, offset: 41 };

describe('the error family', () => {
  // Names travel in dead letters (kafka_dlt-exception-fqcn) and logs; codes are the documented contract. Both as literals.
  it('gives every error its documented name, code and permanence', () => {
    const cause = new Error('root');
    const cases: Array<[KafkaRouterError, string, string, boolean]> = [
      [new InvalidEventError('$.records', 'bad'), 'InvalidEventError', 'INVALID_EVENT', true],
      [new DecodeError('value', 'bad', at), 'DecodeError', 'DECODE_FAILED', true],
      [new SchemaValidationError([{ message: 'm', path: '' }], at), 'SchemaValidationError', 'SCHEMA_INVALID', true],
      [new PermanentError('bad'), 'PermanentError', 'PERMANENT', true],
      [new NoRouteError(at), 'NoRouteError', 'NO_ROUTE', true],
      [new ConfigError('bad'), 'ConfigError', 'CONFIG', true],
      [new InvariantError('bad'), 'InvariantError', 'INVARIANT', false],
      [new TimeBudgetError(at, 10, 20), 'TimeBudgetError', 'TIME_BUDGET', false],
      [new BatchFailedError([{ lane: 'orders-2', at, error: cause }]), 'BatchFailedError', 'BATCH_FAILED', false],
      [new PublishError('bad'), 'PublishError', 'PUBLISH_FAILED', false],
      [new ConnectionError('b-1:9094', 'connection refused'), 'ConnectionError', 'CONNECTION_FAILED', false],
      [new SchemaNotFoundError('42', 'the registry'), 'SchemaNotFoundError', 'SCHEMA_NOT_FOUND', true],
      [new RegistryUnavailableError('down'), 'RegistryUnavailableError', 'REGISTRY_UNAVAILABLE', false],
      [new IdempotencyError('store down'), 'IdempotencyError', 'IDEMPOTENCY', false],
      [new KafkaRouterError('CONNECTION_FAILED', 'bad'), 'KafkaRouterError', 'CONNECTION_FAILED', false],
    ];
    for (const [error, name, code, permanent] of cases) {
      expect({ name: error.name, code: error.code, permanent: error.permanent }).toEqual({ name, code, permanent });
      expect(error).toBeInstanceOf(KafkaRouterError);
      expect(String(error)).toMatch(new RegExp(`^${name}: `));
    }
  });

  it('appends the record coordinates to the message, and keeps them', () => {
    const error = new KafkaRouterError('PERMANENT', 'broken', { at, permanent: true });
    expect(error.message).toBe('broken (at orders-2@41)');
    expect(error.at).toEqual(at);
    expect(new KafkaRouterError('PERMANENT', 'broken').message).toBe('broken');
  });

  it('words each message as documented', () => {
    expect(new InvalidEventError('$.records', 'expected an object').message).toBe('Invalid Kafka event at $.records: expected an object');
    expect(new InvalidEventError('$.records', 'x').path).toBe('$.records');
    const decode = new DecodeError('key', 'not valid base64 (3 characters)', at);
    expect([decode.message, decode.part, decode.at]).toEqual([
      'Cannot decode the key: not valid base64 (3 characters) (at orders-2@41)',
      'key',
      at,
    ]);
    expect(new NoRouteError(at).message).toBe("No route consumes topic 'orders' (at orders-2@41)");
    expect(new NoRouteError(at).at).toEqual(at);
    expect(new InvariantError('lost a record').message).toBe('Internal invariant violated: lost a record');
    expect(new InvariantError('lost a record', at).message).toBe('Internal invariant violated: lost a record (at orders-2@41)');
    expect(new InvariantError('lost a record').at).toBeUndefined();
    expect(new TimeBudgetError(at, 1500, 2000).message).toBe(
      'Not started: 1500 ms left, 2000 ms are reserved for flushing (at orders-2@41)',
    );
    expect(new TimeBudgetError(at, 1500, 2000).at).toEqual(at);
  });

  it('names the broker and the reason of a connection failure, with the detail only when there is one', () => {
    const cause = new Error('ECONNREFUSED');
    const detailed = new ConnectionError('b-1:9094', 'connection refused', { detail: 'KafkaJSConnectionError: x', cause });
    expect([detailed.message, detailed.broker, detailed.reason, detailed.cause]).toEqual([
      'Cannot connect to Kafka broker b-1:9094: connection refused (KafkaJSConnectionError: x)',
      'b-1:9094',
      'connection refused',
      cause,
    ]);
    expect(new ConnectionError('b-1:9094', 'connection refused').message).toBe(
      'Cannot connect to Kafka broker b-1:9094: connection refused',
    );
  });

  it('keeps the cause it is given', () => {
    const cause = new Error('root');
    expect(new DecodeError('value', 'x', at, cause).cause).toBe(cause);
    expect(new PermanentError('x', { cause }).cause).toBe(cause);
    expect(new ConfigError('x', { cause }).cause).toBe(cause);
    expect(new PublishError('x', { cause }).cause).toBe(cause);
  });

  it('names the first failed record of a failed batch, and takes its error as the cause', () => {
    const cause = new PermanentError('bad total');
    const error = new BatchFailedError([
      { lane: 'orders-2', at, error: cause },
      { lane: 'orders-3', at: { ...at, partition: 3 }, error: new Error('other') },
    ]);
    expect(error.message).toBe('2 partition(s) failed; the batch will be retried. First: orders-2@41: PermanentError: bad total');
    expect(error.cause).toBe(cause);
    expect(error.failures).toHaveLength(2);
    const none = new BatchFailedError([]);
    expect(none.message).toBe('0 partition(s) failed; the batch will be retried. First: none');
    expect(none.cause).toBeUndefined();
  });
});

describe('SchemaValidationError', () => {
  it('summarises the first five issues with their paths, and counts the rest', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ message: `issue ${i}`, path: i === 0 ? '' : `field${i}` }));
    const error = new SchemaValidationError(issues, at);
    expect(error.message).toBe(
      "The value does not match the route's schema: issue 0; field1: issue 1; field2: issue 2; field3: issue 3; field4: issue 4 (+2 more) (at orders-2@41)",
    );
    expect(error.issues).toBe(issues);
    const five = new SchemaValidationError(issues.slice(0, 5), at);
    expect(five.message).not.toContain('more');
    expect(new SchemaValidationError(issues.slice(0, 6), at).message).toContain('field4: issue 4 (+1 more)');
  });

  it('blanks out everything quoted in an issue: schema libraries echo the value they received', () => {
    const error = new SchemaValidationError(
      [{ message: `Expected number, received "4111 1111" or 'tok en' or \`sec ret\` and ''`, path: 'card' }],
      at,
    );
    expect(error.message).toBe(
      `The value does not match the route's schema: card: Expected number, received "…" or "…" or "…" and "…" (at orders-2@41)`,
    );
    // The issues themselves stay intact for code that needs them.
    expect(error.issues[0]?.message).toContain('4111 1111');
  });
});
