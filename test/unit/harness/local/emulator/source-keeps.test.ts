import { describe, expect, it } from 'vitest';
import { sourceKeepsFromEnv } from '../../../../../src/harness/local/emulator/schema-registry-mode.js';

describe('EMULATOR_SOURCE_KEEPS', () => {
  it('keeps neither the header nor the metadata unless named (AWS: SOURCE "removes all schema metadata")', () => {
    expect(sourceKeepsFromEnv(undefined)).toEqual({ header: false, metadata: false });
    expect(sourceKeepsFromEnv('')).toEqual({ header: false, metadata: false });
  });

  it('reads a comma-separated list of header and metadata', () => {
    expect(sourceKeepsFromEnv('header')).toEqual({ header: true, metadata: false });
    expect(sourceKeepsFromEnv(' metadata , header ')).toEqual({ header: true, metadata: true });
    expect(sourceKeepsFromEnv('headers')).toEqual({ header: false, metadata: false });
  });
});
