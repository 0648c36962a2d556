import { describe, expect, it } from 'vitest';
import { SecretRedactor } from '../../../../src/runtime/publish/redact.js';

describe('SecretRedactor', () => {
  it('blanks every occurrence of every remembered secret', () => {
    const redactor = new SecretRedactor();
    redactor.remember('pass');
    redactor.remember('t0ken-value');
    expect(redactor.redact('pass, t0ken-value, pass')).toBe('[redacted], [redacted], [redacted]');
  });

  it('ignores missing and very short values: blanking "a" or "ab" everywhere would wreck every message', () => {
    const redactor = new SecretRedactor();
    redactor.remember(undefined);
    redactor.remember('');
    redactor.remember('abc');
    expect(redactor.redact('abc is a short word')).toBe('abc is a short word');
  });
});
