import { describe, expect, it } from 'vitest';
import { IdempotencyError, PermanentError, RegistryUnavailableError } from '../../../../src/runtime/errors/index.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { recordingLogger, run } from '../../../support/router.js';

describe('deadLetterOrFail', () => {
  const failing = (deadLetter?: string) =>
    defineRoute({
      topic: 't',
      name: 'checks',
      ...(deadLetter ? { deadLetter } : {}),
      handle: () => {
        throw new PermanentError('bad total');
      },
    });

  it('dead-letters and goes on when the route has a dead-letter topic, logging where it went and why', async () => {
    const { logger, entries } = recordingLogger();
    const report = await run({ routes: [failing('t.dead')], logger }, [
      { topic: 't', value: 1 },
      { topic: 't', value: 2 },
    ]);
    expect(report.lanes[0]).toMatchObject({ deadLettered: 2, failed: 0 });
    expect(entries).toEqual(
      [0, 1].map((offset) => ({
        level: 'warn',
        message: 'record dead-lettered',
        attributes: { route: 'checks', at: `t-0@${offset}`, deadLetterTopic: 't.dead', error: 'PermanentError: bad total' },
      })),
    );
  });

  it('otherwise makes the record the lane’s failure point, and logs nothing itself', async () => {
    const { logger, entries } = recordingLogger();
    const report = await run({ routes: [failing()], logger }, [
      { topic: 't', value: 1 },
      { topic: 't', value: 2 },
    ]);
    expect(report.failures.map((f) => f.at.offset)).toEqual([0]);
    expect(report.lanes[0]).toMatchObject({ deadLettered: 0, failed: 2 });
    expect(entries).toEqual([]);
  });

  it.each([
    ['schema registry', () => new RegistryUnavailableError('registry answered 503')],
    ['idempotency store', () => new IdempotencyError('The idempotency store failed: ECONNREFUSED')],
  ])('fails the lane, never dead-letters, when the %s is down (not the record’s fault)', async (_what, outage) => {
    const route = defineRoute({
      topic: 't',
      deadLetter: 't.dead',
      handle: () => {
        throw outage();
      },
    });
    const report = await run({ routes: [route] }, [
      { topic: 't', value: 1 },
      { topic: 't', value: 2 },
    ]);
    expect(report.messages).toEqual([]);
    expect(report.failures.map((f) => [f.at.offset, (f.error as Error).name])).toEqual([[0, outage().name]]);
    expect(report.lanes[0]).toMatchObject({ deadLettered: 0, failed: 2 });
  });
});
