import { describe, it } from 'vitest';
import { checkMutatedEvents } from '../../../support/fuzz-events.js';

describe('the handler on mutated events (fuzz)', () => {
  it('answers well-formed or with a typed error, handles untouched lanes, and leaks no value bytes (300 cases)', async () => {
    await checkMutatedEvents(Number(process.env.FUZZ_RUNS ?? 300));
  });
});
