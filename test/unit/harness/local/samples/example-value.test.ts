import { describe, expect, it } from 'vitest';
import { exampleValue, requiredOnly } from '../../../../../src/harness/local/samples/example-value.js';

describe('exampleValue (a plausible value for a JSON Schema)', () => {
  it('prefers examples, default, const and enum, in that order', () => {
    expect(exampleValue({ type: 'string', examples: ['a', 'b'], default: 'd' }, 1)).toBe('b');
    expect(exampleValue({ type: 'string', default: 'd', const: 'c' })).toBe('d');
    expect(exampleValue({ const: 'c', enum: ['x'] })).toBe('c');
    expect(exampleValue({ enum: ['x', 'y'] }, 3)).toBe('y');
  });

  it('builds objects from their properties, varying ids and numbers with n', () => {
    const schema = {
      type: 'object',
      properties: { orderId: { type: 'string' }, quantity: { type: 'integer' }, price: { type: 'number' }, gift: { type: 'boolean' } },
    };
    expect(exampleValue(schema, 0)).toEqual({ orderId: 'orderId-1', quantity: 1, price: 1.5, gift: true });
    expect(exampleValue(schema, 1)).toEqual({ orderId: 'orderId-2', quantity: 2, price: 3, gift: false });
  });

  it('honours string formats and length bounds', () => {
    expect(exampleValue({ type: 'string', format: 'date-time' })).toBe('2026-01-01T09:00:00.000Z');
    expect(exampleValue({ type: 'string', format: 'email' }, 4)).toBe('user5@example.com');
    expect(exampleValue({ type: 'string', format: 'uuid' })).toBe('00000000-0000-4000-8000-000000000001');
    expect(exampleValue({ type: 'string', format: 'uri' }, 0, {}, 'link')).toBe('https://example.com/link/1');
    expect(exampleValue({ type: 'string', minLength: 3, maxLength: 3 }, 0, {}, 'c')).toBe('c-1');
    expect(exampleValue({ type: 'string', maxLength: 3 }, 0, {}, 'currency')).toBe('cur');
    expect(exampleValue({ type: 'string', minLength: 12 }, 0, {}, 'id')).toBe('id-1xxxxxxxx');
  });

  it('keeps numbers inside their bounds, exclusive ones included', () => {
    expect(exampleValue({ type: 'integer', minimum: 10 })).toBe(10);
    expect(exampleValue({ type: 'integer', exclusiveMinimum: 0 })).toBe(1);
    expect(exampleValue({ type: 'integer', maximum: 0 }, 5)).toBe(0);
    expect(exampleValue({ type: 'number', exclusiveMaximum: 1 }, 5)).toBe(0);
  });

  it('fills arrays to minItems, picks the non-null branch of unions and nullable types, merges allOf', () => {
    expect(exampleValue({ type: 'array', items: { type: 'integer' }, minItems: 2 })).toEqual([1, 1]);
    expect(exampleValue({ anyOf: [{ type: 'null' }, { type: 'string' }] }, 0, {}, 'note')).toBe('note-1');
    expect(exampleValue({ type: ['null', 'integer'] })).toBe(1);
    expect(
      exampleValue({
        allOf: [
          { type: 'object', properties: { a: { const: 1 } } },
          { type: 'object', properties: { b: { const: 2 } } },
        ],
      }),
    ).toEqual({ a: 1, b: 2 });
  });

  it('follows $ref into $defs and stops on recursion', () => {
    const root = {
      type: 'object',
      properties: { node: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', properties: { id: { type: 'integer' }, next: { $ref: '#/$defs/Node' } } } },
    };
    const value = exampleValue(root) as { node: { id: number; next: unknown } };
    expect(value.node.id).toBe(1);
    let depth = 0;
    for (let node: unknown = value.node; node && typeof node === 'object'; node = (node as { next: unknown }).next) depth++;
    expect(depth).toBeLessThan(15);
  });

  it('requiredOnly drops optional properties, recursively', () => {
    const schema = {
      type: 'object',
      required: ['a', 'inner'],
      properties: {
        a: { type: 'string' },
        b: { type: 'string' },
        inner: { type: 'object', required: ['x'], properties: { x: { type: 'integer' }, y: { type: 'integer' } } },
      },
    };
    expect(exampleValue(requiredOnly(schema))).toEqual({ a: 'a-1', inner: { x: 1 } });
  });
});
