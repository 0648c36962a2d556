// The EventBridge pattern language that Lambda event filtering uses ("For filter rules, Lambda supports the
// Amazon EventBridge rules and uses the same syntax as EventBridge",
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax), with the
// operators of
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html: equality (strings,
// numbers by their text, booleans, null, ""), prefix, suffix, equals-ignore-case, wildcard, anything-but (values,
// prefix, suffix, equals-ignore-case, wildcard), numeric (= and ranges), exists, and $or. No npm package
// implements it (checked 2026-12-03: `eb-patterns` and `event-ruler` are not on the registry); AWS's own matcher,
// Event Ruler, is Java.
//
// How arrays match follows Event Ruler's README (https://github.com/aws/event-ruler#json-array-matching): a rule
// on a field matches when any element of an array value matches, and the fields of one nested pattern are
// matched against one and the same array element. Where the documents are silent (a string operator against a
// number, anything-but against null), the choice is written next to the code.
import { ConfigError } from '../../runtime/errors/index.js';
import { isJsonObject, type JsonNode, jsonNumber } from './json-text.js';

/** One compiled event pattern: true when the event matches. */
export type PatternMatcher = (event: JsonNode) => boolean;

type Leaf = null | boolean | string | { readonly kind: 'number'; readonly text: string; readonly value: number };
type LeafTest = (leaf: Leaf) => boolean;
/** A rule list on one field: `exists` looks at the field, the others at its leaf values. */
type FieldRule = { readonly exists: boolean } | { readonly test: LeafTest };
interface ObjectRule {
  readonly fields: ReadonlyArray<readonly [string, ObjectRule | readonly FieldRule[]]>;
  readonly anyOf: ReadonlyArray<readonly ObjectRule[]>;
}

/**
 * Compiles an event pattern (a parsed JSON object), or throws a {@link ConfigError} naming where it is wrong.
 * Messages name paths and operators, never the pattern's values (a filter can hold sensitive values: AWS
 * offers KMS encryption for them).
 */
export function compileEventPattern(pattern: unknown, where = 'pattern', options: { allowEmpty?: boolean } = {}): PatternMatcher {
  const rule = objectRule(pattern, where, options.allowEmpty ?? false);
  return (event) => matchObject(rule, event);
}

function problem(where: string, what: string): ConfigError {
  return new ConfigError(`Invalid filter ${where}: ${what}`);
}

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectRule(pattern: unknown, where: string, allowEmpty: boolean): ObjectRule {
  if (!plainObject(pattern)) throw problem(where, 'expected an object of fields');
  const fields: Array<readonly [string, ObjectRule | readonly FieldRule[]]> = [];
  const anyOf: ObjectRule[][] = [];
  for (const [field, rules] of Object.entries(pattern)) {
    const path = `${where}.${field}`;
    if (field === '$or') {
      if (!Array.isArray(rules) || rules.length < 2) throw problem(path, '$or takes a list of at least two patterns');
      anyOf.push(rules.map((branch, i) => objectRule(branch, `${path}[${i}]`, allowEmpty)));
    } else if (Array.isArray(rules)) {
      if (rules.length === 0) throw problem(path, 'an empty list matches nothing');
      fields.push([field, rules.map((rule, i) => fieldRule(rule, `${path}[${i}]`))]);
    } else if (plainObject(rules)) {
      fields.push([field, objectRule(rules, path, false)]);
    } else {
      throw problem(path, 'expected a list of rules or an object of fields');
    }
  }
  if (!allowEmpty && fields.length === 0 && anyOf.length === 0) throw problem(where, 'a pattern needs at least one field');
  return { fields, anyOf };
}

function literal(value: unknown, where: string): Leaf {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return jsonNumber(value);
  throw problem(where, 'expected a string, number, boolean or null');
}

/** Lambda compares numbers written as values by their text: 300, 300.0 and 3.0e2 differ. */
function sameLeaf(a: Leaf, b: Leaf): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  return a.text === b.text;
}

function fieldRule(rule: unknown, where: string): FieldRule {
  if (!plainObject(rule)) {
    const value = literal(rule, where);
    return { test: (leaf) => sameLeaf(leaf, value) };
  }
  const entries = Object.entries(rule);
  if (entries.length !== 1) throw problem(where, 'a rule object has exactly one operator');
  const [operator, operand] = entries[0] as [string, unknown];
  const at = `${where}.${operator}`;
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw problem(at, 'exists takes true or false');
      return { exists: operand };
    case 'numeric':
      return { test: numericTest(operand, at) };
    case 'anything-but':
      return { test: anythingBut(operand, at) };
    case 'cidr':
      throw problem(at, 'cidr is an EventBridge operator that Lambda event filtering does not list');
    default:
      return { test: stringTest(operator, operand, where) };
  }
}

/** prefix, suffix, equals-ignore-case and wildcard: they look at string leaves only (a number is not text to them). */
function stringTest(operator: string, operand: unknown, where: string): LeafTest {
  const at = `${where}.${operator}`;
  const text =
    (test: (s: string) => boolean): LeafTest =>
    (leaf) =>
      typeof leaf === 'string' && test(leaf);
  const ignoreCase = (value: unknown): string | undefined =>
    plainObject(value) && Object.keys(value).length === 1 && typeof value['equals-ignore-case'] === 'string'
      ? value['equals-ignore-case']
      : undefined;
  switch (operator) {
    case 'prefix':
    case 'suffix': {
      const starts = operator === 'prefix';
      if (typeof operand === 'string') return text((s) => (starts ? s.startsWith(operand) : s.endsWith(operand)));
      const folded = ignoreCase(operand)?.toLowerCase();
      if (folded === undefined) throw problem(at, `${operator} takes a string or { "equals-ignore-case": string }`);
      return text((s) => (starts ? s.toLowerCase().startsWith(folded) : s.toLowerCase().endsWith(folded)));
    }
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') throw problem(at, 'equals-ignore-case takes a string');
      const folded = operand.toLowerCase();
      return text((s) => s.toLowerCase() === folded);
    }
    case 'wildcard': {
      const pattern = wildcard(operand, at);
      return text((s) => pattern.test(s));
    }
    default:
      throw problem(at, 'unknown operator');
  }
}

/** `*` matches any run of characters; `\*` is a star and `\\` a backslash; `**` is refused, as EventBridge does. */
function wildcard(operand: unknown, where: string): RegExp {
  if (typeof operand !== 'string') throw problem(where, 'wildcard takes a string');
  if (operand.includes('**')) throw problem(where, 'consecutive wildcard characters are not allowed');
  let source = '';
  for (let i = 0; i < operand.length; i++) {
    const char = operand[i] as string;
    if (char === '\\') {
      const next = operand[++i];
      if (next !== '*' && next !== '\\') throw problem(where, 'a backslash escapes only * or \\');
      source += `\\${next}`;
    } else source += char === '*' ? '[\\s\\S]*' : char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);

function numericTest(operand: unknown, where: string): LeafTest {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4))
    throw problem(where, 'numeric takes [op, n] or [op, n, op, n]');
  const bounds: Array<(n: number) => boolean> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const [op, limit] = [operand[i], operand[i + 1]];
    if (typeof limit !== 'number' || !Number.isFinite(limit)) throw problem(where, 'numeric bounds are numbers');
    if (op === '=' && operand.length === 2) bounds.push((n) => n === limit);
    else if (op === '>') bounds.push((n) => n > limit);
    else if (op === '>=') bounds.push((n) => n >= limit);
    else if (op === '<') bounds.push((n) => n < limit);
    else if (op === '<=') bounds.push((n) => n <= limit);
    else throw problem(where, 'numeric operators are =, <, <=, >, >= (= alone)');
  }
  if (operand.length === 4 && !(LOWER.has(operand[0] as string) && UPPER.has(operand[2] as string)))
    throw problem(where, 'a numeric range is a lower bound (> or >=) then an upper bound (< or <=)');
  // Numeric rules compare values, so 300, 300.0 and 3.0e2 are all 300 here; strings never match. EventBridge documents
  // numeric matching for values within ±5.0e9 with six decimals; this compares doubles, so it also answers outside that.
  return (leaf) => isNumberLeaf(leaf) && bounds.every((bound) => bound(leaf.value));
}

function isNumberLeaf(leaf: Leaf): leaf is Exclude<Leaf, null | boolean | string> {
  return typeof leaf === 'object' && leaf !== null;
}

/**
 * anything-but: a value or a list of values (all strings or all numbers), or one of prefix, suffix,
 * equals-ignore-case, wildcard (a string or, for the last two, a list). The value forms match any leaf not
 * listed (null and booleans included); so do the string forms, for which a number is not a string that starts,
 * ends or looks like anything (Event Ruler answers so: test/integration/interop/event-ruler.test.ts).
 */
function anythingBut(operand: unknown, where: string): LeafTest {
  if (plainObject(operand)) {
    const entries = Object.entries(operand);
    if (entries.length !== 1) throw problem(where, 'anything-but takes one operator');
    const [operator, inner] = entries[0] as [string, unknown];
    const listable = operator === 'equals-ignore-case' || operator === 'wildcard';
    const operands = listable && Array.isArray(inner) ? inner : [inner];
    if (operands.length === 0) throw problem(`${where}.${operator}`, 'an empty list excludes nothing');
    if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(operator) || operands.some((o) => typeof o !== 'string'))
      throw problem(`${where}.${operator}`, 'anything-but takes prefix, suffix, equals-ignore-case or wildcard with string operands');
    const tests = operands.map((o) => stringTest(operator, o, where));
    return (leaf) => !tests.some((test) => test(leaf));
  }
  const values = Array.isArray(operand) ? operand : [operand];
  if (values.length === 0) throw problem(where, 'an empty list excludes nothing');
  const kinds = new Set(values.map((v) => typeof v));
  if (kinds.size !== 1 || !(kinds.has('string') || kinds.has('number')))
    throw problem(where, 'anything-but lists only strings or only numbers');
  const excluded = values.map((v, i) => literal(v, `${where}[${i}]`));
  return (leaf) => !excluded.some((value) => sameLeaf(leaf, value));
}

/** A field's leaf values: the value itself, or the leaves of an array (nested arrays flattened); objects have none. */
function leavesOf(node: JsonNode | undefined, into: Leaf[] = []): Leaf[] {
  if (node === undefined || isJsonObject(node)) return into;
  if (Array.isArray(node)) {
    for (const item of node as readonly JsonNode[]) leavesOf(item, into);
    return into;
  }
  into.push(node as Leaf);
  return into;
}

/** The objects an object pattern can apply to: the node itself, or each object of an array. */
function objectsOf(node: JsonNode | undefined, into: Array<{ readonly [field: string]: JsonNode }> = []) {
  if (node !== undefined && isJsonObject(node)) into.push(node);
  else if (Array.isArray(node)) for (const item of node as readonly JsonNode[]) objectsOf(item, into);
  return into;
}

const NO_FIELDS: { readonly [field: string]: JsonNode } = Object.create(null);

function matchObject(rule: ObjectRule, node: JsonNode | undefined): boolean {
  const candidates = objectsOf(node);
  // A missing or non-object node has no fields: only rules that accept absence (exists: false) can match it.
  return (candidates.length > 0 ? candidates : [NO_FIELDS]).some((object) => matchFields(rule, object));
}

function matchFields(rule: ObjectRule, object: { readonly [field: string]: JsonNode }): boolean {
  for (const [field, inner] of rule.fields) {
    const value = object[field];
    if (!Array.isArray(inner)) {
      if (!matchObject(inner as ObjectRule, value)) return false;
      continue;
    }
    const leaves = leavesOf(value);
    const ok = (inner as readonly FieldRule[]).some((r) => ('exists' in r ? r.exists === leaves.length > 0 : leaves.some(r.test)));
    if (!ok) return false;
  }
  return rule.anyOf.every((branches) => branches.some((branch) => matchObject(branch, object)));
}
