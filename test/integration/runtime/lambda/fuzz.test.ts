import { describe, it } from 'vitest';
import { checkMutatedEvents } from '../../../support/fuzz-events.js';

// The same property as the unit fuzz test, at the depth the integration project can afford.
describe('the handler on mutated events (fuzz, long)', () => {
  it('answers well-formed or with a typed error, handles untouched lanes, and leaks no value bytes (4,000 cases)', async () => {
    await checkMutatedEvents(4_000);
  }, 120_000);
});
