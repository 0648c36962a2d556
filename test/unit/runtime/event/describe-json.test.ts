import { describe, expect, it } from 'vitest';
import { describeJson, isJsonObject } from '../../../../src/runtime/event/describe-json.js';

describe('describeJson', () => {
  it('names the kind of a value, and shows only numbers and booleans', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'null'],
      [undefined, 'nothing'],
      [[1, 2], 'an array'],
      [{ a: 1 }, 'an object'],
      [12.5, '12.5'],
      [false, 'false'],
      [10n, 'bigint'],
      [() => 1, 'function'],
    ];
    for (const [value, description] of cases) expect(describeJson(value)).toBe(description);
  });

  it('describes a string by its length, never its content', () => {
    expect(describeJson('card=4111111111111111')).toBe('a string of 21 characters');
  });
});

describe('isJsonObject', () => {
  it('is true for plain objects only', () => {
    expect([{}, null, [], 'x', 1].map(isJsonObject)).toEqual([true, false, false, false, false]);
  });
});
