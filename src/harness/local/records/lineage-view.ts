// How the tools show our lineage headers. Kept in this one module: the lineage encoding
// (src/runtime/router/lineage.ts) is changing, and only this file should have to follow it.

import { LINEAGE_HEADERS } from '../../../runtime/router/lineage.js';
import { COMPACT_LINEAGE_HEADER, decodeLineage, messageIdText } from '../../../runtime/router/lineage-compact.js';

const NUMERIC: ReadonlySet<string> = new Set([LINEAGE_HEADERS.sourcePartition]);
const LINEAGE: ReadonlySet<string> = new Set(Object.values(LINEAGE_HEADERS));

/** The compact `x-lineage` header by its meaning: the same facts, under the same names, as the text headers. */
export interface CompactLineageView {
  readonly [LINEAGE_HEADERS.sourceTopic]: string;
  readonly [LINEAGE_HEADERS.sourcePartition]: number;
  /** `<offset>` or, for a batch aggregate, `<first>-<last>`, as `x-source-offset` carries it. */
  readonly [LINEAGE_HEADERS.sourceOffset]: string;
  readonly [LINEAGE_HEADERS.messageId]: string;
}

/**
 * A lineage header's value by its meaning (a partition as a number, ids and offsets as text; the binary
 * `x-lineage` decoded into those); undefined for other headers, and for an `x-lineage` that does not decode.
 */
export function lineageHeaderValue(name: string, bytes: Buffer): unknown {
  if (name === COMPACT_LINEAGE_HEADER) return compactLineageView(bytes);
  if (!LINEAGE.has(name)) return undefined;
  const text = bytes.toString('utf8');
  if (NUMERIC.has(name) && /^\d+$/.test(text)) return Number(text);
  // x-source-offset is `<offset>` or, for a batch aggregate, `<first>-<last>`: kept as text.
  return text;
}

/** The id consumers deduplicate by: `x-message-id`, or the id in a compact `x-lineage`, when the record carries one. */
export function messageIdOf(headers: Iterable<readonly [string, Buffer]>): string | undefined {
  for (const [name, bytes] of headers) {
    if (name === LINEAGE_HEADERS.messageId) return bytes.toString('utf8');
    if (name === COMPACT_LINEAGE_HEADER) {
      const view = compactLineageView(bytes);
      if (view) return view[LINEAGE_HEADERS.messageId];
    }
  }
  return undefined;
}

function compactLineageView(bytes: Buffer): CompactLineageView | undefined {
  let lineage: ReturnType<typeof decodeLineage>;
  try {
    lineage = decodeLineage(bytes, { topic: '', partition: -1, offset: -1 });
  } catch {
    // Not ours, or a newer version: the tools show it as bytes (hex) rather than fail the whole listing.
    return undefined;
  }
  const { sourceOffset, lastSourceOffset } = lineage;
  return {
    [LINEAGE_HEADERS.sourceTopic]: lineage.sourceTopic,
    [LINEAGE_HEADERS.sourcePartition]: lineage.sourcePartition,
    [LINEAGE_HEADERS.sourceOffset]: lastSourceOffset === undefined ? String(sourceOffset) : `${sourceOffset}-${lastSourceOffset}`,
    [LINEAGE_HEADERS.messageId]: messageIdText(lineage.messageId),
  };
}
