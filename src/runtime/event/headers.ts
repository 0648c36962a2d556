import type { RawKafkaHeader } from './types.js';

/** One Kafka header. Names can repeat within a record. */
export interface KafkaHeader {
  readonly name: string;
  readonly value: Buffer;
}

/** A record's headers in their original order, with lookups that decode UTF-8. */
export interface KafkaHeaders {
  /** The first value for `name`, as UTF-8 text. */
  get(name: string): string | undefined;
  /** Every value for `name`, in order, as UTF-8 text. */
  getAll(name: string): string[];
  /** The first value for `name`, as bytes. */
  bytes(name: string): Buffer | undefined;
  /** All headers, in order, repeats included. */
  readonly list: readonly KafkaHeader[];
}

class HeaderList implements KafkaHeaders {
  constructor(readonly list: readonly KafkaHeader[]) {}

  get(name: string): string | undefined {
    return this.bytes(name)?.toString('utf8');
  }

  getAll(name: string): string[] {
    const values: string[] = [];
    for (const header of this.list) if (header.name === name) values.push(header.value.toString('utf8'));
    return values;
  }

  bytes(name: string): Buffer | undefined {
    for (const header of this.list) if (header.name === name) return header.value;
    return undefined;
  }
}

/** The empty header list, shared. */
export const NO_HEADERS: KafkaHeaders = new HeaderList([]);

/** Turns Lambda's `[{name: [bytes]}]` form into a header list (repeats kept). */
export function decodeHeaders(raw: readonly RawKafkaHeader[] | null): KafkaHeaders {
  if (!raw || raw.length === 0) return NO_HEADERS;
  const list: KafkaHeader[] = [];
  for (const entry of raw) {
    for (const name in entry) list.push({ name, value: Buffer.from(entry[name] as readonly number[]) });
  }
  return new HeaderList(list);
}

/** Builds a header list from name/value pairs (repeats allowed). */
export function headersOf(pairs: Iterable<readonly [string, string | Buffer]>): KafkaHeaders {
  const list: KafkaHeader[] = [];
  for (const [name, value] of pairs) list.push({ name, value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value });
  return new HeaderList(list);
}
