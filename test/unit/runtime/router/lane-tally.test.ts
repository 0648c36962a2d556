import { beforeEach, describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { type Lane, parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import {
  DEAD_LETTERED,
  failAt,
  firstUnsettled,
  HANDLED,
  newTally,
  SKIPPED,
  settle,
  toReport,
} from '../../../../src/runtime/router/lane-tally.js';
import type { OutboundMessage } from '../../../../src/runtime/router/outbox.js';

// Built per test, not at module load (StrykerJS re-runs the whole suite for mutants in code run at load).
let lane: Lane;
beforeEach(() => {
  const parsed = parseKafkaEvent(buildKafkaEvent([0, 1, 2, 3].map((n) => ({ topic: 't', partition: 4, value: n })))).lanes[0];
  if (!parsed) throw new Error('no lane');
  lane = parsed;
});
const message = (offset: number, kind: OutboundMessage['kind'] = 'output'): OutboundMessage => ({
  topic: 'out',
  key: null,
  value: Buffer.from(String(offset)),
  headers: [],
  source: { topic: 't', partition: 4, offset },
  sequence: 0,
  kind,
});

describe('lane tally', () => {
  it('counts dispositions and returns messages in record order, whatever order they were settled in', () => {
    const tally = newTally(lane);
    settle(tally, 2, DEAD_LETTERED, [message(2, 'dead-letter')]);
    settle(tally, 0, HANDLED, [message(0)]);
    settle(tally, 3, SKIPPED);
    settle(tally, 1, HANDLED, [message(1), message(1)]);
    const report = toReport(tally, lane);
    expect(report).toMatchObject({ id: 't-4', records: 4, handled: 2, deadLettered: 1, skipped: 1, failed: 0, failure: undefined });
    expect(report.messages.map((m) => m.source.offset)).toEqual([0, 1, 1, 2]);
  });

  it('keeps the earliest failure point and drops the messages of records from it on', () => {
    const tally = newTally(lane);
    settle(tally, 0, HANDLED, [message(0)]);
    settle(tally, 1, HANDLED, [message(1)]);
    failAt(tally, lane, 2, new Error('later'));
    failAt(tally, lane, 1, new Error('earlier'));
    failAt(tally, lane, 3, new Error('ignored'));
    const report = toReport(tally, lane);
    expect(report.failure).toMatchObject({ lane: 't-4', at: { topic: 't', partition: 4, offset: 1 }, error: { message: 'earlier' } });
    expect(report).toMatchObject({ handled: 1, failed: 3 });
    expect(report.messages.map((m) => m.source.offset)).toEqual([0]);
  });

  it('finds the first record with no disposition before the failure point', () => {
    const tally = newTally(lane);
    settle(tally, 0, HANDLED);
    expect(firstUnsettled(tally)).toBe(1);
    failAt(tally, lane, 1, new Error('x'));
    expect(firstUnsettled(tally)).toBe(-1);
  });

  it('keeps the first failure recorded at a point, and ignores points outside the lane', () => {
    const tally = newTally(lane);
    failAt(tally, lane, 2, new Error('first'));
    failAt(tally, lane, 2, new Error('second'));
    failAt(tally, lane, 9, new Error('nowhere'));
    expect(tally.failedFrom).toBe(2);
    expect(tally.failure).toMatchObject({ at: { offset: 2 }, error: { message: 'first' } });
    const untouched = newTally(lane);
    failAt(untouched, lane, -1, new Error('before the start'));
    failAt(untouched, lane, 4, new Error('past the end'));
    expect([untouched.failedFrom, untouched.failure]).toEqual([4, undefined]);
  });
});
