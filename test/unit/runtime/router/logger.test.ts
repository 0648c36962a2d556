import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonLogger, logLevelFromEnv, silentLogger } from '../../../../src/runtime/router/logger.js';
import { setEnv } from '../../../support/env.js';

const captureStdout = () => {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
};
const logAll = (logger: ReturnType<typeof jsonLogger>) => {
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('jsonLogger', () => {
  it("writes Lambda's JSON log format fields first: timestamp, level, message", () => {
    const lines = captureStdout();
    jsonLogger('info').info('m', { requestId: 'req-1', route: 'r' });
    expect(Object.keys(JSON.parse(lines[0] ?? ''))).toEqual(['timestamp', 'level', 'message', 'requestId', 'route']);
  });

  it('takes AWS_LAMBDA_LOG_LEVEL over LOG_LEVEL, mapping TRACE to debug and FATAL to error', () => {
    for (const [lambdaLevel, own, expected] of [
      ['WARN', 'debug', 'warn'],
      ['TRACE', 'error', 'debug'],
      ['FATAL', undefined, 'error'],
      [undefined, 'silent', 'silent'],
      ['bogus', 'warn', 'warn'],
    ] as const) {
      expect(logLevelFromEnv({ AWS_LAMBDA_LOG_LEVEL: lambdaLevel, LOG_LEVEL: own }), `${lambdaLevel}/${own}`).toBe(expected);
    }
  });

  it('writes one JSON line per entry: level, message, attributes, ISO timestamp', () => {
    const lines = captureStdout();
    jsonLogger('info').warn('record dead-lettered', { route: 'r', at: 't-0@1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('}\n')).toBe(true);
    const entry = JSON.parse(lines[0] ?? '');
    expect(entry).toEqual({ level: 'WARN', message: 'record dead-lettered', route: 'r', at: 't-0@1', timestamp: expect.any(String) });
    expect(new Date(entry.timestamp).toISOString()).toBe(entry.timestamp);
  });

  it('writes entries at or above its level only', () => {
    const levels = (level: Parameters<typeof jsonLogger>[0]) => {
      const lines = captureStdout();
      logAll(jsonLogger(level));
      vi.restoreAllMocks();
      return lines.map((line) => JSON.parse(line).level);
    };
    expect(levels('debug')).toEqual(['DEBUG', 'INFO', 'WARN', 'ERROR']);
    expect(levels('info')).toEqual(['INFO', 'WARN', 'ERROR']);
    expect(levels('warn')).toEqual(['WARN', 'ERROR']);
    expect(levels('error')).toEqual(['ERROR']);
    expect(levels('silent')).toEqual([]);
  });

  it('reads LOG_LEVEL (any case) by default, and falls back to info for an unknown one', () => {
    for (const [value, expected] of [
      ['ERROR', ['ERROR']],
      ['verbose', ['INFO', 'WARN', 'ERROR']],
      [undefined, ['INFO', 'WARN', 'ERROR']],
    ] as const) {
      const restore = setEnv({ LOG_LEVEL: value });
      const lines = captureStdout();
      logAll(jsonLogger());
      vi.restoreAllMocks();
      restore();
      expect(
        lines.map((line) => JSON.parse(line).level),
        String(value),
      ).toEqual(expected);
    }
  });
});

describe('silentLogger', () => {
  it('writes nothing', () => {
    const lines = captureStdout();
    logAll(silentLogger as ReturnType<typeof jsonLogger>);
    expect(lines).toEqual([]);
  });
});
