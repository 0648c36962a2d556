import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecrets } from '../support/secret-scan.js';
import {
  brokerCrash,
  flushCutScenario,
  poisonRecords,
  silentLossControl,
  throwingFunction,
  throwingFunctionIdempotent,
} from './scenarios.js';
import { type SuiteEnvironment, startSuiteEnvironment } from './support/environment.js';
import { rowPasses } from './support/report.js';
import type { ScenarioResult } from './support/run-scenario.js';
import { MAX_HANDLE_GROWTH, MAX_MB_PER_10K } from './support/soak-report.js';
import { runSoak } from './support/soak-run.js';
import { runSuite } from './support/suite.js';

// The short versions of `npm run chaos` and `npm run soak`, on one broker: small N, a few faults, the same counting.
let env: SuiteEnvironment;
beforeAll(async () => {
  env = await startSuiteEnvironment(() => undefined);
});
afterAll(async () => {
  await env?.stop();
});

describe('reliability suite (short)', () => {
  it('loses nothing and recognises every duplicate under a broker crash, throwing invocations, poison records and cut flushes, and counts a silent loss', async () => {
    const lines: string[] = [];
    const result = await runSuite({
      n: 300,
      streamScale: 0.4,
      scenarios: [
        brokerCrash,
        { ...throwingFunction, title: 'function throws on 30% of invocations (half after flushing)', worker: { invocationThrowRate: 0.3 } },
        { ...throwingFunctionIdempotent, worker: { invocationThrowRate: 0.3 } },
        poisonRecords,
        flushCutScenario(1),
        silentLossControl,
      ],
      log: (line) => lines.push(line),
      env,
    });
    process.stderr.write(`${lines.join('\n')}\n`);
    const row = (id: string) => result.rows.find((r) => r.id === id) as ScenarioResult;
    // The control drops every 50th record without an output: the suite must see exactly those as lost.
    expect(row('control').lost).toBe(6);
    expect(rowPasses(row('control'))).toBe(false);
    for (const r of result.rows.filter((r) => r.id !== 'control')) {
      expect({ id: r.id, lost: r.lost, orderViolations: r.orderViolations, mismatchedIds: r.mismatchedIds, drained: r.drained }).toEqual({
        id: r.id,
        lost: 0,
        orderViolations: 0,
        mismatchedIds: 0,
        drained: true,
      });
      expect(rowPasses(r)).toBe(true);
      expect(r.inputs).toBeGreaterThanOrEqual(300);
    }
    // The faults landed: otherwise "nothing lost" would prove nothing.
    expect(row('1').failedInvocations + row('1').redeliveries + row('1').inputResends).toBeGreaterThan(0);
    expect(row('1').recoveryMs).toBeDefined();
    expect(row('3a').failedInvocations).toBeGreaterThan(0);
    // Redelivered batches repeat a plain handler's side effect; behind idempotent() each runs once.
    expect(row('3a').effects?.repeated).toBeGreaterThan(0);
    expect(row('3ai').failedInvocations).toBeGreaterThan(0);
    expect(row('3ai').effects).toMatchObject({ idempotent: true, once: 300, repeated: 0, missing: 0 });
    expect(row('3b').poison).toBe(3);
    expect(row('3b').deadLettered).toBe(3);
    expect(row('7').failedInvocations + row('7').redeliveries).toBeGreaterThan(0);
    // Poison values carried a secret-looking token: only the dead letters' original value may hold it.
    const secret = [{ label: 'poison token', value: result.secret }];
    expect(findSecrets(result.workerLogs, secret)).toEqual([]);
    expect(findSecrets(result.rows.flatMap((r) => r.deadLetterHeaders).join('\n'), secret)).toEqual([]);
    expect(row('3b').deadLetterHeaders.length).toBe(3);
  });
});

describe('soak (short)', () => {
  it('keeps heap and handles flat over 5,000 warm invocations with failures, dead letters and reconnects', async () => {
    const result = await runSoak(env, { invocations: 5_000, sampleEvery: 500, reconnectEvery: 1_500, warmUp: 0.4 });
    expect(result.outcomes.flushFailures).toBe(3);
    expect(result.outcomes.connects).toBe(4);
    expect(result.outcomes.deadLettered).toBeGreaterThan(0);
    expect(result.outcomes.failed).toBeGreaterThan(0);
    expect(result.handles.maxLater - result.handles.afterWarmUp).toBeLessThanOrEqual(MAX_HANDLE_GROWTH);
    // 3,000 invocations after warm-up only catch a gross leak (keeping each 8-record event would add ~30 MB per
    // 10,000); the 1 MB limit is for the 100,000-invocation run (npm run soak), where JIT and allocator settle.
    expect(result.slopes.heapUsed).toBeLessThanOrEqual(5 * MAX_MB_PER_10K);
  });
});
