import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../../src/harness/cli/errors.js';
import { parseHeaderOptions, readProduceValues } from '../../../../src/harness/cli/produce-input.js';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'klr-input-')), 'in.jsonl');
  writeFileSync(path, text);
  return path;
};

describe('readProduceValues', () => {
  it('sends a JSON array element by element, and text that is not JSON as is (without a route)', () => {
    expect(readProduceValues('[{"n":1},"two"]', { strictJson: false })).toEqual([
      { kind: 'value', value: { n: 1 } },
      { kind: 'value', value: 'two' },
    ]);
    expect(readProduceValues('plain text', { strictJson: false })).toEqual([{ kind: 'value', value: 'plain text' }]);
  });

  it("refuses text that is not JSON when a route's codec must encode it", () => {
    expect(() => readProduceValues('plain text', { strictJson: true })).toThrow(CliError);
  });

  it('reads JSON lines, skipping blank ones, and names the bad line without quoting it', () => {
    expect(readProduceValues(undefined, { file: file('{"a":1}\n\n{"a":2}\n'), strictJson: true })).toEqual([
      { kind: 'value', value: { a: 1 } },
      { kind: 'value', value: { a: 2 } },
    ]);
    expect(() => readProduceValues(undefined, { file: file('{"a":1}\nsecret-ish payload\n'), strictJson: true })).toThrow(
      /^--file line 2 is not JSON$/,
    );
  });

  it('decodes --raw hex and base64 strictly', () => {
    expect(readProduceValues('ff00', { raw: 'hex', strictJson: true })).toEqual([{ kind: 'bytes', bytes: Buffer.from([0xff, 0]) }]);
    expect(readProduceValues('/wA=', { raw: 'base64', strictJson: true })).toEqual([{ kind: 'bytes', bytes: Buffer.from([0xff, 0]) }]);
    expect(() => readProduceValues('ff0', { raw: 'hex', strictJson: true })).toThrow('the value is not valid hex');
    expect(() => readProduceValues('not base64!', { raw: 'base64', strictJson: true })).toThrow('the value is not valid base64');
  });

  it('wants the value or --file, not both, and one of them', () => {
    expect(() => readProduceValues('{}', { file: file('{}'), strictJson: false })).toThrow('not both');
    expect(() => readProduceValues(undefined, { strictJson: false })).toThrow(/missing the value/);
  });
});

describe('parseHeaderOptions', () => {
  it('splits at the first = and keeps repeats', () => {
    expect(parseHeaderOptions(['a=1', 'a=2=3'])).toEqual([
      ['a', '1'],
      ['a', '2=3'],
    ]);
    expect(() => parseHeaderOptions(['=x'])).toThrow('--header =x: expected name=value');
  });
});
