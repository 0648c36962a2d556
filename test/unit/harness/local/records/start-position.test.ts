import { describe, expect, it } from 'vitest';
import { parseStartPosition, parseTime } from '../../../../../src/harness/local/records/start-position.js';
import { ConfigError } from '../../../../../src/runtime/errors/index.js';

describe('parseStartPosition', () => {
  it('reads beginning, end, offsets and times', () => {
    expect(parseStartPosition('beginning')).toEqual({ kind: 'beginning' });
    expect(parseStartPosition('end')).toEqual({ kind: 'end' });
    expect(parseStartPosition('42')).toEqual({ kind: 'offset', offset: 42 });
    expect(parseStartPosition('2026-01-01T09:00:00Z')).toEqual({ kind: 'timestamp', ms: Date.UTC(2026, 0, 1, 9) });
    expect(parseStartPosition('@1767258000000')).toEqual({ kind: 'timestamp', ms: 1767258000000 });
  });

  it('refuses anything else with the forms it accepts', () => {
    expect(() => parseStartPosition('yesterday')).toThrow(ConfigError);
    expect(() => parseStartPosition('-1')).toThrow(/expected beginning, end, an offset/);
    expect(() => parseTime('--since', '42')).toThrow('--since 42: expected an ISO time');
  });
});
