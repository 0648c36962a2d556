import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../../src/harness/cli/errors.js';
import { locateService } from '../../../../src/harness/cli/service.js';

const service = () => {
  const dir = mkdtempSync(join(tmpdir(), 'svc-'));
  writeFileSync(join(dir, 'serverless.yml'), 'service: s\n');
  mkdirSync(join(dir, 'functions', 'deep'), { recursive: true });
  return dir;
};

describe('locateService', () => {
  it('finds the nearest serverless.yml from a subfolder', () => {
    const dir = service();
    expect(locateService({}, join(dir, 'functions', 'deep'))).toEqual({ cwd: dir, file: join(dir, 'serverless.yml') });
  });

  it('takes --config relative to the working directory, passing a non-default name on to osls', () => {
    const dir = service();
    writeFileSync(join(dir, 'other.yml'), 'service: o\n');
    expect(locateService({ config: 'other.yml', stage: 'prod' }, dir)).toEqual({
      cwd: dir,
      file: join(dir, 'other.yml'),
      config: 'other.yml',
      stage: 'prod',
    });
    expect(locateService({ config: join(dir, 'serverless.yml') }, tmpdir())).toEqual({ cwd: dir, file: join(dir, 'serverless.yml') });
  });

  it('is a usage error when --config names no file', () => {
    const error = (() => {
      try {
        locateService({ config: 'missing.yml' }, service());
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 'USAGE', exitCode: 2 });
  });

  it('says where it looked when there is no service (exit code 1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-svc-'));
    expect(() => locateService({}, dir)).toThrow(`No serverless.yml in ${dir} or its parents`);
  });
});
