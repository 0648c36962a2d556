import { describe, expect, it } from 'vitest';
import { describeError, formatCoordinates } from '../../../../src/runtime/errors/format.js';

describe('formatCoordinates', () => {
  it('writes topic-partition@offset', () => {
    expect(formatCoordinates({ topic: 'orders.v1', partition: 12, offset: 4_294_967_301 })).toBe('orders.v1-12@4294967301');
  });
});

describe('describeError', () => {
  it('is "Name: message" for an Error, without its stack', () => {
    const error = new TypeError('boom');
    expect(describeError(error)).toBe('TypeError: boom');
  });

  it('names only the type of anything else thrown: a thrown string may be a secret', () => {
    expect(describeError('card=4111111111111111')).toBe('non-Error thrown: string');
    expect(describeError(undefined)).toBe('non-Error thrown: undefined');
    expect(describeError({ password: 'x' })).toBe('non-Error thrown: object');
  });
});
