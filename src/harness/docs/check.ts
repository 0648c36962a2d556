/** Whether a committed document matches a freshly generated one, and where they first differ. */
export type StalenessResult =
  | { readonly upToDate: true }
  | { readonly upToDate: false; readonly line: number; readonly committed: string | undefined; readonly generated: string | undefined };

/** Compares line by line (line endings normalised, so a CRLF checkout is not "stale"). */
export function compareDocuments(committed: string, generated: string): StalenessResult {
  const a = committed.replace(/\r\n/g, '\n').split('\n');
  const b = generated.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { upToDate: false, line: i + 1, committed: a[i], generated: b[i] };
  }
  return { upToDate: true };
}
