// How the tools show our lineage headers. Kept in this one module: the lineage encoding
// (src/runtime/router/lineage.ts) is changing, and only this file should have to follow it.
import { LINEAGE_HEADERS } from '../../../runtime/router/lineage.js';

const NUMERIC: ReadonlySet<string> = new Set([LINEAGE_HEADERS.sourcePartition]);
const LINEAGE: ReadonlySet<string> = new Set(Object.values(LINEAGE_HEADERS));

/** A lineage header's value by its meaning (a partition as a number, ids and offsets as text); undefined for other headers. */
export function lineageHeaderValue(name: string, bytes: Buffer): unknown {
  if (!LINEAGE.has(name)) return undefined;
  const text = bytes.toString('utf8');
  if (NUMERIC.has(name) && /^\d+$/.test(text)) return Number(text);
  // x-source-offset is `<offset>` or, for a batch aggregate, `<first>-<last>`: kept as text.
  return text;
}

/** The id consumers deduplicate by (`x-message-id`), when the record carries one. */
export function messageIdOf(headers: Iterable<readonly [string, Buffer]>): string | undefined {
  for (const [name, bytes] of headers) if (name === LINEAGE_HEADERS.messageId) return bytes.toString('utf8');
  return undefined;
}
