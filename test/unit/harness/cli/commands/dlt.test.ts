import { describe, expect, it } from 'vitest';
import { redriveClosingLine } from '../../../../../src/harness/cli/commands/dlt.js';
import type { RedriveResult } from '../../../../../src/harness/local/dead-letters/redrive.js';

const base: RedriveResult = {
  groupId: 'g',
  sent: 3,
  skipped: 1,
  warnings: 0,
  next: new Map([[0, 4]]),
  stoppedBy: 'end',
  remaining: 0,
  inDoubt: [],
};

describe('redriveClosingLine', () => {
  it('says it reached the end, and where', () => {
    expect(redriveClosingLine(base, false)).toBe(
      'redrove 3 record(s), skipped 1; stopped at the end: partition 0 at offset 4 (committed in group g)',
    );
  });

  it('after an error: the error, the committed positions and the record the next run sends again', () => {
    const line = redriveClosingLine(
      { ...base, stoppedBy: 'error', error: 'Connection error', inDoubt: [{ partition: 0, offset: 4, state: 'sent-not-committed' }] },
      false,
    );
    expect(line).toBe(
      'redrove 3 record(s), skipped 1; stopped by an error (Connection error): partition 0 at offset 4 (committed in group g); ' +
        'in doubt: partition 0 offset 4 (sent, its position not committed): the next run sends it again',
    );
    expect(redriveClosingLine({ ...base, stoppedBy: 'error', error: 'x', next: new Map(), inDoubt: [] }, false)).toContain(
      'stopped by an error (x): no position committed',
    );
  });

  it('does not claim the end when it gave up waiting with offsets unread', () => {
    expect(redriveClosingLine({ ...base, stoppedBy: 'idle', remaining: 7 }, false)).toContain(
      'stopped waiting with 7 offset(s) not read (run again)',
    );
  });
});
