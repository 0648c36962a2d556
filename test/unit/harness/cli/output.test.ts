import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createOutput } from '../../../../src/harness/cli/output.js';
import { setEnv } from '../../../support/env.js';

const streams = (tty: boolean) => {
  const collect = (stream: PassThrough) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    return () => text;
  };
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  return { stdout, stderr, out: collect(stdout), err: collect(stderr) };
};

describe('createOutput', () => {
  it('writes progress as plain prefixed lines when not in a terminal, results for people on stdout', () => {
    const s = streams(false);
    const out = createOutput({ prefix: 'dev' }, s);
    out.progress('starting');
    out.info('ready');
    out.result({ ignored: true });
    expect(s.err()).toBe('[dev] starting\n');
    expect(s.out()).toBe('ready\n');
  });

  it('redraws one progress line in a terminal and ends it before other output', () => {
    const restore = setEnv({ CI: undefined });
    try {
      const s = streams(true);
      const out = createOutput({}, s);
      out.progress('one');
      out.progress('two');
      out.info('done');
      expect(s.err()).toBe('\r\x1b[2K… one\r\x1b[2K… two\n');
      expect(s.out()).toBe('done\n');
    } finally {
      restore();
    }
  });

  it('keeps stdout for JSON alone under --json', () => {
    const s = streams(false);
    const out = createOutput({ json: true }, s);
    out.info('for people');
    out.result({ a: 1 });
    expect(s.out()).toBe('{"a":1}\n');
    expect(s.err()).toBe('for people\n');
  });
});
