/** A JSON-safe value: what the idempotency store keeps of handler outputs. */
export type Storable = null | boolean | number | string | readonly Storable[] | { readonly [key: string]: Storable };

const BYTES = '$kafkaLambdaRouterBytes';

/**
 * Makes a value JSON-safe for the idempotency store: Buffers become a tagged
 * base64 string (JSON would turn them into an array of numbers), plain objects
 * and arrays are walked; anything else is left for JSON.stringify (Dates to
 * strings, which the JSON codec would have written anyway).
 */
export function toStorable(value: unknown): Storable {
  if (Buffer.isBuffer(value)) return { [BYTES]: value.toString('base64') };
  if (Array.isArray(value)) return value.map(toStorable);
  if (value !== null && typeof value === 'object' && isPlain(value)) {
    const out: Record<string, Storable> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = toStorable(item);
    return out;
  }
  return value as Storable;
}

/** The inverse of {@link toStorable} (after the JSON round trip). */
export function fromStorable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromStorable);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const bytes = record[BYTES];
    if (typeof bytes === 'string' && Object.keys(record).length === 1) return Buffer.from(bytes, 'base64');
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) out[key] = fromStorable(item);
    return out;
  }
  return value;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
