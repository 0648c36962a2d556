import { type LogEntry, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkajsLineLevel } from '../../../../src/runtime/publish/kafkajs-log.js';

// Entries as kafkajs 2.2.4's Connection writes them when a broker answers a request with an error.
const response = (level: logLevel, error: string): LogEntry => ({
  namespace: 'Connection',
  level,
  label: level === logLevel.ERROR ? 'ERROR' : 'WARN',
  log: {
    timestamp: '2026-12-03T08:00:00.000Z',
    logger: 'kafkajs',
    message: 'Response InitProducerId(key: 22, version: 1)',
    error,
    correlationId: 1,
    size: 10,
  },
});

describe('kafkajsLineLevel', () => {
  it('is debug for a broker error kafkajs retries: the coordinator loading on a fresh broker, a leader moving', () => {
    expect(kafkajsLineLevel(response(logLevel.ERROR, "The coordinator is loading and hence can't process requests for this group"))).toBe(
      'debug',
    );
    expect(kafkajsLineLevel(response(logLevel.ERROR, 'This server is not the leader for that topic-partition'))).toBe('debug');
  });

  it('is warn for an error kafkajs does not retry (the caller gets the thrown error), and for kafkajs warnings', () => {
    expect(kafkajsLineLevel(response(logLevel.ERROR, 'Not authorized to access topics: [Topic authorization failed]'))).toBe('warn');
    expect(kafkajsLineLevel(response(logLevel.ERROR, 'Connection timeout'))).toBe('warn');
    expect(
      kafkajsLineLevel({
        ...response(logLevel.WARN, ''),
        log: { timestamp: '', logger: 'kafkajs', message: 'KafkaJS v2.0.0 switched default partitioner' },
      }),
    ).toBe('warn');
  });

  it('is never error: ERROR is for what the user must act on', () => {
    for (const level of [logLevel.ERROR, logLevel.WARN, logLevel.INFO]) expect(kafkajsLineLevel(response(level, 'x'))).not.toBe('error');
  });
});
