/** A secret a test uses, with a label for failure messages (never the value itself). */
export interface TestSecret {
  readonly label: string;
  readonly value: string;
  /** Also look for fragments (random tokens only: a fragment of readable text appears by chance). Default true. */
  readonly fragments?: boolean;
}

/** How long a fragment of a secret must be to count as a leak (V8's JSON errors quote 10 characters). */
export const LEAK_WINDOW = 8;

/**
 * Labels of the secrets found in `text`: the whole value, or for random
 * values of 16 characters or more, any run of {@link LEAK_WINDOW} consecutive
 * characters of it (an error message quoting the start of a value leaks it too).
 */
export function findSecrets(text: string, secrets: readonly TestSecret[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    if (secret.value.length === 0) continue;
    if (text.includes(secret.value)) {
      found.push(secret.label);
      continue;
    }
    if (secret.value.length < 16 || secret.fragments === false) continue;
    for (let start = 0; start + LEAK_WINDOW <= secret.value.length; start++) {
      if (text.includes(secret.value.slice(start, start + LEAK_WINDOW))) {
        found.push(`${secret.label} (fragment)`);
        break;
      }
    }
  }
  return found;
}
