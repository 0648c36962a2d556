import { describe, expect, it } from 'vitest';
import { parseTraceExport } from '../../../../src/harness/local/trace-target.js';

describe('parseTraceExport', () => {
  it('reads console, otlp and otlp=<url>, giving a bare collector URL the OTLP traces path', () => {
    expect(parseTraceExport('console')).toEqual({ to: 'console' });
    expect(parseTraceExport('otlp')).toEqual({ to: 'otlp' });
    expect(parseTraceExport('otlp=http://127.0.0.1:4318')).toEqual({ to: 'otlp', url: 'http://127.0.0.1:4318/v1/traces' });
    expect(parseTraceExport('otlp=https://collector.example:4318/custom/traces')).toEqual({
      to: 'otlp',
      url: 'https://collector.example:4318/custom/traces',
    });
  });

  it('rejects other exporters, unparsable URLs and non-HTTP schemes', () => {
    for (const value of ['jaeger', 'otlp=', 'otlp=127.0.0.1:4318', 'otlp=ftp://127.0.0.1/', 'otlp:http://127.0.0.1:4318', 'Console'])
      expect(parseTraceExport(value), value).toBeUndefined();
  });
});
