import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../../src/harness/filter-criteria/event-pattern.js';
import { parseJsonText } from '../../../../src/harness/filter-criteria/json-text.js';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { assumptions, conformance } from '../../../support/event-pattern-cases.js';

/** Matches a pattern against an event written as JSON text (so numbers keep the text they are written with). */
const matches = (pattern: unknown, event: string): boolean => {
  const parsed = parseJsonText(event);
  if (parsed === undefined) throw new ConfigError(`test event is not JSON: ${event}`);
  return compileEventPattern(pattern)(parsed);
};

describe('compileEventPattern: the conformance table from AWS examples, and the answers where AWS is silent', () => {
  for (const row of [...conformance, ...assumptions]) {
    it(row.name, () => {
      for (const event of row.match) expect(matches(row.pattern, event), `${event} should match`).toBe(true);
      for (const event of row.miss) expect(matches(row.pattern, event), `${event} should not match`).toBe(false);
    });
  }
});

describe('compileEventPattern: patterns Lambda would refuse', () => {
  const refused: Array<[string, unknown, RegExp]> = [
    ['not an object', ['a'], /expected an object/],
    ['no field', {}, /at least one field/],
    ['an empty rule list', { a: [] }, /empty list matches nothing/],
    ['a field that is neither a list nor an object', { a: 'x' }, /list of rules or an object/],
    ['an unknown operator', { a: [{ regex: 'x.*' }] }, /pattern\.a\[0\]\.regex: unknown operator/],
    ['two operators in one rule', { a: [{ prefix: 'x', suffix: 'y' }] }, /exactly one operator/],
    ['numeric with a bad operator', { a: [{ numeric: ['!=', 1] }] }, /numeric operators/],
    ['numeric, upper bound first', { a: [{ numeric: ['<', 10, '>', 1] }] }, /lower bound/],
    ['numeric, = in a range', { a: [{ numeric: ['=', 1, '<', 2] }] }, /numeric operators/],
    ['numeric with a string bound', { a: [{ numeric: ['>', '1'] }] }, /bounds are numbers/],
    ['exists not boolean', { a: [{ exists: 'yes' }] }, /true or false/],
    ['anything-but mixing strings and numbers', { a: [{ 'anything-but': ['x', 1] }] }, /only strings or only numbers/],
    ['anything-but with an unknown operator', { a: [{ 'anything-but': { numeric: ['>', 1] } }] }, /anything-but takes prefix/],
    ['a double wildcard', { a: [{ wildcard: 'a**' }] }, /consecutive wildcard/],
    ['a backslash escaping a letter', { a: [{ wildcard: 'a\\b' }] }, /escapes only/],
    ['cidr (not a Lambda operator)', { ip: [{ cidr: '10.0.0.0/24' }] }, /does not list/],
    ['$or with one branch', { $or: [{ a: ['x'] }] }, /at least two/],
  ];
  for (const [name, pattern, message] of refused) {
    it(`refuses ${name} with a ConfigError naming the place`, () => {
      const attempt = () => compileEventPattern(pattern);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(message);
    });
  }

  it('never puts a pattern value into the message (filters can hold sensitive values)', () => {
    expect(() => compileEventPattern({ card: [{ numeric: ['!=', 4111111111111111] }] })).toThrow(/^(?!.*4111)/s);
    expect(() => compileEventPattern({ card: [{ 'anything-but': ['secret-value', 1] }] })).toThrow(/^(?!.*secret-value)/s);
  });
});

describe('compileEventPattern: properties', () => {
  const text = fc.string({ maxLength: 12 });

  it('a value equals itself, alone or inside an array, and anything-but is its negation', () => {
    fc.assert(
      fc.property(text, text, (value, other) => {
        const event = JSON.stringify({ f: value });
        expect(matches({ f: [value] }, event)).toBe(true);
        expect(matches({ f: [value] }, JSON.stringify({ f: [other, value] }))).toBe(true);
        expect(matches({ f: [{ 'anything-but': [value] }] }, event)).toBe(false);
        expect(matches({ f: [{ 'anything-but': [other] }] }, event)).toBe(value !== other);
      }),
    );
  });

  it('prefix, suffix and wildcard agree with String methods', () => {
    fc.assert(
      fc.property(text, text, text, (head, middle, tail) => {
        const value = head + middle + tail;
        const event = JSON.stringify({ f: value });
        expect(matches({ f: [{ prefix: head }] }, event)).toBe(true);
        expect(matches({ f: [{ suffix: tail }] }, event)).toBe(true);
        const plain = (s: string) => s.replace(/[*\\]/g, '');
        const [h, t] = [plain(head), plain(tail)];
        expect(matches({ f: [{ wildcard: `${h}*${t}` }] }, event)).toBe(
          value.startsWith(h) && value.endsWith(t) && value.length >= h.length + t.length,
        );
      }),
    );
  });

  it('numeric ranges agree with JavaScript comparisons', () => {
    const n = fc.integer({ min: -1_000_000, max: 1_000_000 });
    fc.assert(
      fc.property(n, n, n, (a, b, x) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(matches({ f: [{ numeric: ['>', low, '<=', high] }] }, JSON.stringify({ f: x }))).toBe(x > low && x <= high);
        expect(matches({ f: [{ numeric: ['>=', low, '<', high] }] }, JSON.stringify({ f: x }))).toBe(x >= low && x < high);
      }),
    );
  });
});

describe('parseJsonText', () => {
  const plain = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(plain);
    if (node !== null && typeof node === 'object') {
      if (Object.getPrototypeOf(node) !== null) return (node as { value: number }).value;
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, plain(v)]));
    }
    return node;
  };

  it('reads what JSON.parse reads, keeping each number’s text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 1);
        expect(plain(parseJsonText(text))).toEqual(JSON.parse(text));
      }),
    );
    expect(parseJsonText('{"a":3.0e2}')).toEqual(Object.assign(Object.create(null), { a: { kind: 'number', text: '3.0e2', value: 300 } }));
  });

  it('answers undefined for text that is not JSON, including nesting too deep to walk safely', () => {
    for (const text of ['', 'hello', '{"a":1', '{"a":1}x', "{'a':1}", '[1,]', '01', '"\\x"', '{"a" 1}'])
      expect(parseJsonText(text)).toBeUndefined();
    expect(parseJsonText(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeUndefined();
  });
});
