/** Orders text by UTF-16 code units: the same everywhere, unlike `localeCompare`, so generated files do not vary by machine locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
