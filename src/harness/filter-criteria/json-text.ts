// JSON as EventBridge's matcher sees it: numbers keep the text they were written with, because Lambda
// compares an equality rule with a number by its string representation ("300, 300.0, and 3.0e2 are not
// considered equal", https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax),
// while `numeric` rules compare the value. JSON.parse keeps only the value (Node 20 has no source-text access).

/** A JSON number with the text it was written as. */
export interface JsonNumber {
  readonly kind: 'number';
  readonly text: string;
  readonly value: number;
}

/** A parsed JSON value; objects are null-prototype records, numbers are {@link JsonNumber}. */
export type JsonNode = null | boolean | string | JsonNumber | readonly JsonNode[] | { readonly [field: string]: JsonNode };

/** A JSON number node from a JavaScript number (patterns come from YAML, where the text is the number's own). */
export function jsonNumber(value: number): JsonNumber {
  return { kind: 'number', text: JSON.stringify(value), value };
}

/** True for a JSON object node (not an array, not a number). */
export function isJsonObject(node: JsonNode): node is { readonly [field: string]: JsonNode } {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && Object.getPrototypeOf(node) === null;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** A parse that went wrong somewhere: the text is not JSON (no exception: not JSON is an expected answer). */
const FAIL = Symbol('not JSON');
type Parsed = JsonNode | typeof FAIL;

/** Parses JSON text, or returns undefined when it is not JSON (the caller treats the text as a plain string). */
export function parseJsonText(text: string): JsonNode | undefined {
  let at = 0;
  let depth = 0;
  const skip = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  // Strings are handed to JSON.parse once delimited: it knows every escape (and rejects bad ones, caught below).
  const string = (): string | typeof FAIL => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    if (at >= text.length) return FAIL;
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return FAIL;
    }
  };
  const object = (): Parsed => {
    at++;
    const fields: Record<string, JsonNode> = Object.create(null);
    skip();
    if (text[at] === '}') {
      at++;
      return fields;
    }
    for (;;) {
      skip();
      if (text[at] !== '"') return FAIL;
      const field = string();
      skip();
      if (field === FAIL || text[at++] !== ':') return FAIL;
      const item = value();
      if (item === FAIL) return FAIL;
      fields[field] = item;
      skip();
      const next = text[at++];
      if (next === '}') return fields;
      if (next !== ',') return FAIL;
    }
  };
  const array = (): Parsed => {
    at++;
    const items: JsonNode[] = [];
    skip();
    if (text[at] === ']') {
      at++;
      return items;
    }
    for (;;) {
      const item = value();
      if (item === FAIL) return FAIL;
      items.push(item);
      skip();
      const next = text[at++];
      if (next === ']') return items;
      if (next !== ',') return FAIL;
    }
  };
  const value = (): Parsed => {
    skip();
    const char = text[at];
    if (char === '{' || char === '[') {
      // Past this depth the text is treated as not JSON rather than risking the stack.
      if (++depth > MAX_DEPTH) return FAIL;
      const nested = char === '{' ? object() : array();
      depth--;
      return nested;
    }
    if (char === '"') return string();
    for (const [word, literal] of LITERALS) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return literal;
      }
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) return FAIL;
    at = NUMBER.lastIndex;
    return { kind: 'number', text: match[0], value: Number(match[0]) };
  };
  const parsed = value();
  skip();
  return parsed === FAIL || at !== text.length ? undefined : parsed;
}

const MAX_DEPTH = 512;

const LITERALS = [
  ['true', true],
  ['false', false],
  ['null', null],
] as const;
