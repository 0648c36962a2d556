import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../../src/harness/filter-criteria/event-pattern.js';
import { parseJsonText } from '../../../../src/harness/filter-criteria/json-text.js';
import { ConfigError } from '../../../../src/runtime/errors/index.js';

/** Matches a pattern against an event written as JSON text (so numbers keep the text they are written with). */
const matches = (pattern: unknown, event: string): boolean => {
  const parsed = parseJsonText(event);
  if (parsed === undefined) throw new ConfigError(`test event is not JSON: ${event}`);
  return compileEventPattern(pattern)(parsed);
};

// Each row: a pattern from AWS's documentation, an event it matches and events it does not.
// L = https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax
// E = https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
const conformance: Array<{ name: string; pattern: unknown; match: string[]; miss: string[] }> = [
  { name: 'L null', pattern: { UserID: [null] }, match: ['{"UserID":null}'], miss: ['{"UserID":"u-1"}', '{}'] },
  { name: 'L empty', pattern: { LastName: [''] }, match: ['{"LastName":""}'], miss: ['{"LastName":"Doe"}', '{}'] },
  { name: 'L equals', pattern: { Name: ['Alice'] }, match: ['{"Name":"Alice"}'], miss: ['{"Name":"alice"}', '{"Name":"Alice "}'] },
  {
    name: 'L equals (ignore case)',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    match: ['{"Name":"Alice"}', '{"Name":"ALICE"}'],
    miss: ['{"Name":"Alicia"}', '{"Name":1}'],
  },
  {
    name: 'L and',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    match: ['{"Location":"New York","Day":"Monday"}'],
    miss: ['{"Location":"New York","Day":"Friday"}', '{"Location":"New York"}'],
  },
  {
    name: 'L or',
    pattern: { PaymentType: ['Credit', 'Debit'] },
    match: ['{"PaymentType":"Credit"}', '{"PaymentType":"Debit"}'],
    miss: ['{"PaymentType":"Cash"}'],
  },
  {
    name: 'L or (multiple fields)',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    match: ['{"Location":"New York","Day":"Friday"}', '{"Location":"Paris","Day":"Monday"}'],
    miss: ['{"Location":"Paris","Day":"Friday"}'],
  },
  {
    name: 'L not',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    match: ['{"Weather":"Sunny"}'],
    miss: ['{"Weather":"Raining"}', '{}'],
  },
  {
    name: 'L numeric (equals): values compared, not text',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    match: ['{"Price":100}', '{"Price":100.0}', '{"Price":1e2}'],
    miss: ['{"Price":101}', '{"Price":"100"}'],
  },
  {
    name: 'L numeric (range)',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    match: ['{"Price":20}', '{"Price":10.5}'],
    miss: ['{"Price":10}', '{"Price":20.01}', '{"Price":"15"}'],
  },
  { name: 'L exists', pattern: { ProductName: [{ exists: true }] }, match: ['{"ProductName":"x"}'], miss: ['{}', '{"Other":1}'] },
  { name: 'L does not exist', pattern: { ProductName: [{ exists: false }] }, match: ['{}'], miss: ['{"ProductName":"x"}'] },
  {
    name: 'L exists works on leaves only',
    pattern: { person: { address: [{ exists: true }] } },
    match: ['{"person":{"address":"123 Main St"}}'],
    miss: ['{"person":{"name":"John Doe","age":30,"address":{"street":"123 Main St","city":"Anytown","country":"USA"}}}'],
  },
  { name: 'L begins with', pattern: { Region: [{ prefix: 'us-' }] }, match: ['{"Region":"us-east-1"}'], miss: ['{"Region":"eu-west-1"}'] },
  { name: 'L ends with', pattern: { FileName: [{ suffix: '.png' }] }, match: ['{"FileName":"a.png"}'], miss: ['{"FileName":"a.PNG"}'] },
  {
    name: 'L numbers as values are compared by their text: 300, 300.0 and 3.0e2 differ',
    pattern: { Price: [300] },
    match: ['{"Price":300}'],
    miss: ['{"Price":300.0}', '{"Price":3.0e2}', '{"Price":"300"}'],
  },
  {
    name: 'E anything-but (begins with)',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    match: ['{"Region":"eu-west-1"}'],
    miss: ['{"Region":"us-east-1"}'],
  },
  {
    name: 'E anything-but (ends with)',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    match: ['{"FileName":"a.jpg"}'],
    miss: ['{"FileName":"a.png"}'],
  },
  {
    name: 'E anything-but (ignore case)',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    match: ['{"state":"running"}'],
    miss: ['{"state":"INITIALIZING"}', '{"state":"initializing"}'],
  },
  {
    name: 'E anything-but using a wildcard',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    match: ['{"FilePath":"/usr/bin/node"}'],
    miss: ['{"FilePath":"/usr/lib/node"}'],
  },
  {
    name: 'E anything-but (a value)',
    pattern: { state: [{ 'anything-but': 'initializing' }] },
    match: ['{"state":"running"}'],
    miss: ['{"state":"initializing"}'],
  },
  {
    name: 'E anything-but (numbers)',
    pattern: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] },
    match: ['{"x-limit":400}'],
    miss: ['{"x-limit":200}'],
  },
  {
    name: 'E begins with (ignore case)',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
    match: ['{"service":"EventBridge"}', '{"service":"EVENTBRIDGE"}'],
    miss: ['{"service":"Lambda"}'],
  },
  {
    name: 'E ends with (ignore case)',
    pattern: { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] },
    match: ['{"service":"EventBridge"}', '{"service":"EVENTBRIDGE"}'],
    miss: ['{"service":"Lambda"}'],
  },
  {
    name: 'E wildcard',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    match: ['{"EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/default"}'],
    miss: ['{"EventBusArn":"arn:aws:events:eu-west-1:123456789012:event-bus/default"}'],
  },
  {
    name: 'E wildcard escapes: \\* is a star',
    pattern: { name: [{ wildcard: 'a\\*b*' }] },
    match: ['{"name":"a*bc"}'],
    miss: ['{"name":"axbc"}'],
  },
  {
    name: 'E numeric, several fields (and 3.018e2 is 301.8)',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    match: ['{"detail":{"c-count":5,"d-count":3,"x-limit":301.8}}'],
    miss: ['{"detail":{"c-count":0,"d-count":3,"x-limit":301.8}}', '{"detail":{"c-count":5,"d-count":10,"x-limit":301.8}}'],
  },
  {
    name: 'E arrays: a rule matches when any element does',
    pattern: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    match: ['{"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-0","arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}'],
    miss: ['{"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-0"]}', '{"resources":[]}'],
  },
  {
    name: 'Event Ruler: the fields of one nested pattern match within one array element',
    pattern: { orders: { id: ['o-1'], state: ['paid'] } },
    match: ['{"orders":[{"id":"o-2","state":"new"},{"id":"o-1","state":"paid"}]}'],
    miss: ['{"orders":[{"id":"o-1","state":"new"},{"id":"o-2","state":"paid"}]}'],
  },
  {
    name: 'a nested $or',
    pattern: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } },
    match: ['{"detail":{"c-count":3}}', '{"detail":{"d-count":3}}'],
    miss: ['{"detail":{"c-count":30,"d-count":30}}'],
  },
  {
    name: 'booleans are equal only to booleans',
    pattern: { active: [true] },
    match: ['{"active":true}'],
    miss: ['{"active":"true"}', '{"active":false}'],
  },
];

describe('compileEventPattern: the conformance table from AWS examples', () => {
  for (const row of conformance) {
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
