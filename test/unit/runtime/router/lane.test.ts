import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../../../src/runtime/errors/index.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { mutableEvent, recordOf } from '../../../support/events.js';
import { recordingLogger, run } from '../../../support/router.js';

const header = (headers: ReadonlyArray<readonly [string, Buffer]>, name: string) => headers.find(([n]) => n === name)?.[1].toString();
const uuidOf = (parts: readonly string[]) => {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
const routed = defineRoute({ topic: 'known', handle: () => undefined });

describe('a lane with no route', () => {
  it('skip: every record is skipped, with one warning for the lane', async () => {
    const { logger, entries } = recordingLogger();
    const report = await run({ routes: [routed], unmatched: 'skip', logger }, [
      { topic: 'other', partition: 4, value: 1 },
      { topic: 'other', partition: 4, value: 2 },
    ]);
    expect(report.lanes[0]).toMatchObject({ skipped: 2, failed: 0 });
    expect(entries).toEqual([
      { level: 'warn', message: 'no route for topic; records skipped', attributes: { lane: 'other-4', records: 2 } },
    ]);
  });

  it('dead-letter: each record goes out as NoRouteError (its own defect if malformed), with an id of origin "unmatched"', async () => {
    const { logger, entries } = recordingLogger();
    const event = mutableEvent([
      { topic: 'other', partition: 4, value: 1 },
      { topic: 'other', partition: 4, value: 2 },
    ]);
    recordOf(event, 'other-4', 1).timestamp = 'now';
    const report = await run({ routes: [routed], unmatched: { deadLetter: 'nowhere' }, logger }, event);
    expect(report.messages.map((m) => [m.topic, header(m.headers, 'kafka_dlt-exception-fqcn')])).toEqual([
      ['nowhere', 'NoRouteError'],
      ['nowhere', 'InvalidEventError'],
    ]);
    expect(header(report.messages[0]?.headers ?? [], 'x-message-id')).toBe(uuidOf(['unmatched', 'other', '4', '0', 'dead-letter', '0']));
    expect(entries).toEqual([
      {
        level: 'warn',
        message: 'no route for topic; records dead-lettered',
        attributes: { lane: 'other-4', records: 2, deadLetterTopic: 'nowhere' },
      },
    ]);
  });
});

describe('a lane whose run throws (a bug, or a logger that throws)', () => {
  it('loses no record: the lane fails from the first unfinished record with that error', async () => {
    const broken = new Error('log sink down');
    const logger = {
      ...recordingLogger().logger,
      warn: () => {
        throw broken;
      },
    };
    const route = defineRoute({
      topic: 't',
      deadLetter: 't.dead',
      handle: (value: unknown) => {
        if (value === 1) throw new PermanentError('bad');
      },
    });
    const report = await run(
      { routes: [route], logger },
      [0, 1, 2, 3].map((value) => ({ topic: 't', value })),
    );
    expect(report.lanes[0]).toMatchObject({ handled: 1, deadLettered: 1, failed: 2 });
    expect(report.failures).toEqual([{ lane: 't-0', at: { topic: 't', partition: 0, offset: 2 }, error: broken }]);
    expect(report.messages.map((m) => [m.kind, m.source.offset])).toEqual([['dead-letter', 1]]);
  });
});
