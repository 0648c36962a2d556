// The filter matcher (src/harness/filter-criteria/event-pattern.ts) against AWS's Event Ruler, the Java matcher of
// the EventBridge pattern language that Lambda's filters use: every case of the unit test's conformance table and
// of its answers where AWS's pages are silent, asked of both.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../src/harness/filter-criteria/event-pattern.js';
import { parseJsonText } from '../../../src/harness/filter-criteria/json-text.js';
import { ensureRulerChecker, runRuler } from '../../interop/ruler-checker.js';
import { assumptions, conformance, type PatternCase } from '../../support/event-pattern-cases.js';

let dir: string;
beforeAll(async () => {
  dir = await ensureRulerChecker();
}, 300_000);

/** Every (case, event) pair with our answer and Event Ruler's, and the pairs where they differ. */
async function compare(cases: readonly PatternCase[]) {
  const pairs = cases.flatMap((c) => [
    ...c.match.map((event) => ({ name: c.name, pattern: c.pattern, event, ours: 'match' })),
    ...c.miss.map((event) => ({ name: c.name, pattern: c.pattern, event, ours: 'miss' })),
  ]);
  const answers = await runRuler(dir, pairs);
  for (const pair of pairs) {
    const parsed = parseJsonText(pair.event);
    expect(parsed, pair.event).toBeDefined();
    // The table says what we answer; make sure it is what the matcher answers before comparing.
    expect(compileEventPattern(pair.pattern)(parsed ?? null) ? 'match' : 'miss', `${pair.name}: ${pair.event}`).toBe(pair.ours);
  }
  return pairs.map((pair, i) => ({ ...pair, ruler: answers[i] })).filter((pair) => pair.ruler !== pair.ours);
}

describe('the filter matcher against Event Ruler', () => {
  it('answers the conformance table as Event Ruler does, except where Lambda’s page says otherwise', async () => {
    const differences = await compare(conformance);
    // Lambda's filtering page: "For numbers, Lambda also uses string representation. For example, 300, 300.0, and
    // 3.0e2 are not considered equal." Event Ruler 1.8.1 compares them as numbers; we follow Lambda's page.
    expect(differences.map((d) => `${d.event} → ours ${d.ours}, Event Ruler ${d.ruler}`)).toEqual([
      '{"Price":300.0} → ours miss, Event Ruler match',
      '{"Price":3.0e2} → ours miss, Event Ruler match',
    ]);
  }, 120_000);

  it('answers the cases AWS’s pages leave open as Event Ruler does', async () => {
    const differences = await compare(assumptions);
    expect(differences.map((d) => `${d.name}: ${d.event} → ours ${d.ours}, Event Ruler ${d.ruler}`)).toEqual([]);
  }, 120_000);
});
