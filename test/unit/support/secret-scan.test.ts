import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../support/secret-scan.js';

const token = { label: 'token', value: '3f9a1c77d2e84b0b9c51aa02e6d4f813' };

describe('findSecrets', () => {
  it('finds a whole secret and a quoted fragment of one', () => {
    expect(findSecrets(`password=${token.value}`, [token])).toEqual(['token']);
    expect(findSecrets(`Unexpected token 'x', "x3f9a1c77d"... is not valid JSON`, [token])).toEqual(['token (fragment)']);
  });

  it('finds nothing in text without the secret, and never reports the value itself', () => {
    expect(findSecrets('Cannot decode the value: not valid json (SyntaxError at position 0)', [token])).toEqual([]);
    expect(findSecrets(token.value, [token]).join('')).not.toContain(token.value);
  });
});
