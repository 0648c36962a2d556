import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { dispatch } from '../../../../src/runtime/router/dispatch.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter, type RouterOptions, type UnmatchedPolicy } from '../../../../src/runtime/router/router.js';
import { mutableEvent } from '../../../support/events.js';

const routes = [defineRoute({ topic: 't', handle: () => undefined })];
const build = (options: Partial<RouterOptions>) => () => createRouter({ routes, unmatched: 'fail', logger: silentLogger, ...options });

describe('createRouter options', () => {
  it('defaults to 16 partitions at a time and 2000 ms kept for the flush', () => {
    expect(build({})()).toMatchObject({
      concurrency: 16,
      reserveMs: 2_000,
      unmatched: 'fail',
      logger: silentLogger,
      needsPublisher: false,
    });
  });

  it('fails an unmatched record when no policy is given: its lane is reported, so Lambda redelivers it', async () => {
    const router = createRouter({ routes, logger: silentLogger });
    expect(router.unmatched).toBe('fail');
    const report = await dispatch(router, parseKafkaEvent(mutableEvent([{ topic: 'elsewhere', partition: 3, offset: 7, value: '{}' }])));
    expect(report.totals).toMatchObject({ records: 1, failed: 1, handled: 0, skipped: 0 });
    expect(report.failures).toMatchObject([{ lane: 'elsewhere-3', at: { partition: 3, offset: 7 }, error: { name: 'NoRouteError' } }]);
    expectTypeOf<RouterOptions['unmatched']>().toEqualTypeOf<UnmatchedPolicy | undefined>();
  });

  it('accepts each unmatched policy, and needs a publisher only to dead-letter', () => {
    expect(build({ unmatched: 'skip' })().needsPublisher).toBe(false);
    expect(build({ unmatched: { deadLetter: 'nowhere' } })().needsPublisher).toBe(true);
  });

  it('refuses an unmatched policy that is not fail, skip or a named dead-letter topic', () => {
    for (const unmatched of [null, 'drop', {}, { deadLetter: '' }, { deadLetter: 5 }]) {
      expect(build({ unmatched: unmatched as never }), JSON.stringify(unmatched)).toThrow(
        new ConfigError("Router option 'unmatched' must be 'fail', 'skip' or { deadLetter: '<topic>' }"),
      );
    }
  });

  it('accepts a reserve of 0 ms and refuses a negative or unknown one', () => {
    expect(build({ reserveMs: 0 })().reserveMs).toBe(0);
    for (const reserveMs of [-1, Number.NaN])
      expect(build({ reserveMs }), String(reserveMs)).toThrow('Router option reserveMs must be ≥ 0');
  });

  it('refuses a concurrency that is not a positive integer', () => {
    for (const concurrency of [0, 1.5]) expect(build({ concurrency })).toThrow('Router option concurrency must be an integer ≥ 1');
  });
});
