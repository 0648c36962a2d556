import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { InvalidEventError, TimeBudgetError } from '../../../../src/runtime/errors/index.js';
import { text as textCodec } from '../../../../src/runtime/event/codec.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { mutableEvent, recordOf } from '../../../support/events.js';
import { lambdaContext } from '../../../support/lambda.js';
import { recordingLogger, run } from '../../../support/router.js';

const header = (headers: ReadonlyArray<readonly [string, Buffer]>, name: string) => headers.find(([n]) => n === name)?.[1].toString();

describe('record lanes', () => {
  it('awaits an asynchronous schema: the handler gets the validated value, not a promise', async () => {
    const seen: unknown[] = [];
    const asyncSchema = z.pipe(
      z.object({ n: z.number() }),
      z.transform(async (value) => ({ doubled: value.n * 2 })),
    );
    const route = defineRoute({ topic: 't', schema: asyncSchema, handle: (value) => void seen.push(value) });
    const report = await run({ routes: [route] }, [{ topic: 't', value: { n: 2 } }]);
    expect(seen).toEqual([{ doubled: 4 }]);
    expect(report.totals.handled).toBe(1);
  });

  it('never hands a malformed record to the handler, even when its value decodes', async () => {
    const event = mutableEvent([
      { topic: 't', value: 'ok' },
      { topic: 't', value: 'fine value, broken header' },
    ]);
    recordOf(event, 't-0', 1).headers = [{ a: [999] }];
    const seen: string[] = [];
    const route = defineRoute({ topic: 't', codec: textCodec, handle: (value) => void seen.push(value) });
    const report = await run({ routes: [route] }, event);
    expect(seen).toEqual(['ok']);
    expect(report.failures.map((f) => [f.at.offset, f.error instanceof InvalidEventError])).toEqual([[1, true]]);
    const dead = await run({ routes: [defineRoute({ ...route, deadLetter: 'dlt' })] }, event);
    expect(dead.messages.map((m) => [m.kind, header(m.headers, 'kafka_dlt-exception-fqcn')])).toEqual([
      ['dead-letter', 'InvalidEventError'],
    ]);
  });

  it('starts no record after one it refused for lack of time, even if time comes back', async () => {
    const remaining = [60_000, 1_000, 60_000, 60_000, 60_000];
    let call = 0;
    const seen: number[] = [];
    const route = defineRoute({ topic: 't', handle: (_value: unknown, ctx) => void seen.push(ctx.record.offset) });
    const report = await run(
      { routes: [route], reserveMs: 2_000 },
      [0, 1, 2].map((value) => ({ topic: 't', value })),
      lambdaContext({ remainingMs: () => remaining[Math.min(call++, remaining.length - 1)] ?? 0 }),
    );
    expect(seen).toEqual([0]);
    expect(report.failures[0]?.at.offset).toBe(1);
    expect(report.failures[0]?.error).toBeInstanceOf(TimeBudgetError);
    expect(report.lanes[0]).toMatchObject({ handled: 1, failed: 2 });
  });

  it('logs each retry with the route, the record, the attempt, the delay and the error, never the value', async () => {
    const { logger, entries } = recordingLogger();
    let attempts = 0;
    const route = defineRoute({
      topic: 't',
      name: 'flaky',
      publishes: [to('out')],
      handle: (value: unknown) => {
        if (++attempts < 3) throw new Error('try again');
        return value;
      },
    });
    const report = await run({ routes: [route], logger }, [{ topic: 't', value: { card: '4111' } }]);
    expect(report.totals.handled).toBe(1);
    expect(entries.filter((e) => e.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'handler failed; retrying',
        attributes: { route: 'flaky', at: 't-0@0', attempt: 1, delayMs: 1, error: 'Error: try again' },
      },
      {
        level: 'warn',
        message: 'handler failed; retrying',
        attributes: { route: 'flaky', at: 't-0@0', attempt: 2, delayMs: 1, error: 'Error: try again' },
      },
    ]);
  });

  it('skips a tombstone without onTombstone, logging it at debug', async () => {
    const { logger, entries } = recordingLogger();
    const report = await run({ routes: [defineRoute({ topic: 't', handle: () => undefined })], logger }, [{ topic: 't', value: null }]);
    expect(report.totals.skipped).toBe(1);
    expect(entries).toEqual([{ level: 'debug', message: 'record skipped', attributes: { at: 't-0@0', reason: 'tombstone' } }]);
  });
});
