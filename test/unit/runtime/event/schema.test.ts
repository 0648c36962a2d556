import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { SchemaValidationError } from '../../../../src/runtime/errors/index.js';
import { validateWithSchema } from '../../../../src/runtime/event/schema.js';

const at = { topic: 'orders', partition: 0, offset: 7 };
const schema = <T>(
  validate: (value: unknown) => StandardSchemaV1.Result<T> | Promise<StandardSchemaV1.Result<T>>,
): StandardSchemaV1<unknown, T> => ({
  '~standard': { version: 1, vendor: 'test', validate },
});

describe('validateWithSchema', () => {
  it('returns a synchronous schema’s output as it is: no promise', () => {
    expect(
      validateWithSchema(
        schema((value) => ({ value: { parsed: value } })),
        1,
        at,
      ),
    ).toEqual({ parsed: 1 });
  });

  it('returns a promise of the output for an asynchronous schema', async () => {
    const result = validateWithSchema(
      schema(async (value) => ({ value: [value] })),
      2,
      at,
    );
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toEqual([2]);
  });

  it('rejects with SchemaValidationError for an asynchronous schema’s issues', async () => {
    const result = validateWithSchema(
      schema(async () => ({ issues: [{ message: 'too small', path: ['n'] }] })),
      2,
      at,
    );
    await expect(result).rejects.toBeInstanceOf(SchemaValidationError);
  });

  it('joins issue paths, reading key objects and plain keys alike', () => {
    const issues = [{ message: 'a', path: [{ key: 'items' }, 0, 'sku'] }, { message: 'b', path: [] }, { message: 'c' }];
    let error: unknown;
    try {
      validateWithSchema(
        schema(() => ({ issues })),
        {},
        at,
      );
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as SchemaValidationError).issues).toEqual([
      { message: 'a', path: 'items.0.sku' },
      { message: 'b', path: '' },
      { message: 'c', path: '' },
    ]);
    expect((error as SchemaValidationError).at).toEqual(at);
  });
});
