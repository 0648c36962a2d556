import { describe, expect, it } from 'vitest';
import { kebabCase } from '../../../../../src/harness/local/samples/event-file.js';

describe('kebabCase (sample event file names)', () => {
  it.each([
    ['validateOrders', 'validate-orders'],
    ['enrichClicks', 'enrich-clicks'],
    ['HTTPHandler2', 'httphandler2'],
    ['already-kebab', 'already-kebab'],
    ['snake_case_name', 'snake-case-name'],
  ])('%s → %s', (name, expected) => {
    expect(kebabCase(name)).toBe(expected);
  });
});
