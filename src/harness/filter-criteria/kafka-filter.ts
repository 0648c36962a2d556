// Lambda's filter criteria on Kafka records (https://docs.aws.amazon.com/lambda/latest/dg/kafka-filtering.html):
// - only the `value` key can be filtered ("Amazon MSK and self-managed Apache Kafka event source mappings only
//   support filtering on the value key"); with a schema registry, `SchemaValidationConfigs` attributes choose what
//   is "validated and filtered" (https://docs.aws.amazon.com/lambda/latest/api/API_KafkaSchemaValidationConfig.html),
//   so `key` is accepted when the mapping deserializes keys;
// - the value is decoded as UTF-8 first; a JSON value is filtered by field against a JSON pattern (an object under
//   `value`), a plain string against a plain-string pattern (a rule list under `value`); a mismatch of formats or
//   a value that is not UTF-8 leaves "metadata filters only";
// - the filters of a mapping are ORed (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html).
//
// Assumptions where the documents are silent (UNCONFIRMED), each chosen to deliver rather than drop:
// - "metadata filters only" means the value's rules are skipped. Kafka patterns hold no other keys, so such a
//   record matches: it reaches the function.
// - A tombstone (null value) has no bytes Lambda could decode, so it is treated like a non-UTF-8 value.
// - "JSON" means a JSON object or array; any other text (42, true, "quoted") is a plain string, matched as written.
import { ConfigError } from '../../runtime/errors/index.js';
import { encodeValue } from '../../runtime/event/encode.js';
import { compileEventPattern, type PatternMatcher } from './event-pattern.js';
import { isJsonObject, type JsonNode, parseJsonText } from './json-text.js';

/** A filter pattern as written under `filterPatterns` in serverless.yml (a JSON object). */
export type FilterPattern = Readonly<Record<string, unknown>>;

/** The parts of a record filters read: its raw value and key bytes (null for a tombstone or no key). */
export interface FilterableRecord {
  readonly value: Buffer | null;
  readonly key?: Buffer | null;
}

/** Lambda's limit: 5 filters by default, 10 with a quota increase (osls accepts 1 to 10). */
export const MAX_FILTERS = 10;

type Part = 'value' | 'key';
type Format = 'json' | 'string' | 'none';

/**
 * Compiles a mapping's filter patterns into one test (ORed), or throws a {@link ConfigError} when Lambda would
 * refuse them. `key` may be filtered only when the mapping's schema registry deserializes keys.
 */
export function kafkaRecordFilter(
  patterns: readonly unknown[],
  options: { readonly keyFilterable?: boolean } = {},
): (record: FilterableRecord) => boolean {
  if (patterns.length === 0 || patterns.length > MAX_FILTERS)
    throw new ConfigError(`filterPatterns: Lambda takes 1 to ${MAX_FILTERS} filters, got ${patterns.length}`);
  const parts: Part[] = options.keyFilterable ? ['value', 'key'] : ['value'];
  const compiled = patterns.map((pattern, i) => {
    const where = `filterPatterns[${i}]`;
    checkKeys(pattern, where, parts);
    compileEventPattern(pattern, where); // the whole pattern, as Lambda validates it when the mapping is created
    // One matcher per combination of record formats, built on first use: parts whose format does not fit the
    // record are dropped from the pattern ("metadata filters only").
    const variants = new Map<string, PatternMatcher>();
    return (formats: Record<Part, Format>, event: JsonNode) => {
      const id = parts.map((part) => formats[part]).join('/');
      let matcher = variants.get(id);
      if (!matcher) {
        matcher = compileEventPattern(fitTo(pattern as FilterPattern, formats, parts), where, { allowEmpty: true });
        variants.set(id, matcher);
      }
      return matcher(event);
    };
  });
  return (record) => {
    const formats = { value: 'none', key: 'none' } as Record<Part, Format>;
    const event: Record<string, JsonNode> = Object.create(null);
    for (const part of parts) {
      const read = readPart(part === 'value' ? record.value : (record.key ?? null));
      formats[part] = read.format;
      if (read.node !== undefined) event[part] = read.node;
    }
    return compiled.some((matches) => matches(formats, event));
  };
}

function checkKeys(pattern: unknown, where: string, parts: readonly Part[]): void {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern))
    throw new ConfigError(`Invalid filter ${where}: expected an object such as { value: { field: [ ... ] } }`);
  for (const [field, inner] of Object.entries(pattern)) {
    if (field === '$or' && Array.isArray(inner)) {
      inner.forEach((branch, i) => {
        checkKeys(branch, `${where}.$or[${i}]`, parts);
      });
    } else if (!(parts as string[]).includes(field)) {
      throw new ConfigError(
        `Invalid filter ${where}.${field}: Kafka event source mappings filter only on ${parts.join(' and ')}` +
          (field === 'key' ? ' (key needs a schema registry that validates KEY)' : ''),
      );
    }
  }
}

/** The pattern with each part's rules kept only where their format (object: JSON, list: plain string) fits the record's. */
function fitTo(pattern: FilterPattern, formats: Record<Part, Format>, parts: readonly Part[]): FilterPattern {
  const fitted: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(pattern)) {
    if (field === '$or' && Array.isArray(inner)) {
      fitted.$or = inner.map((branch) => fitTo(branch as FilterPattern, formats, parts));
      continue;
    }
    const wanted: Format = Array.isArray(inner) ? 'string' : 'json';
    if (formats[field as Part] === wanted) fitted[field] = inner;
  }
  return fitted;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readPart(bytes: Buffer | null): { format: Format; node?: JsonNode } {
  if (bytes === null) return { format: 'none' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { format: 'none' }; // not UTF-8: Lambda can read no value out of it
  }
  const parsed = parseJsonText(text);
  if (parsed !== undefined && (isJsonObject(parsed) || Array.isArray(parsed))) return { format: 'json', node: parsed };
  return { format: 'string', node: text };
}

/**
 * The bytes filters read of a message as the event builder takes it (a string as UTF-8, a Buffer as is, anything
 * else as JSON, null as no bytes), or of `decoded` parts where a schema registry step decoded the record.
 */
export function filterableOf(
  message: { readonly value: unknown; readonly key?: unknown },
  decoded: { readonly key?: Buffer; readonly value?: Buffer } = {},
): FilterableRecord {
  const bytes = (part: unknown) => (part === null || part === undefined ? null : encodeValue(part));
  return { value: decoded.value ?? bytes(message.value), key: decoded.key ?? bytes(message.key) };
}
