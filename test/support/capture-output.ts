// Vitest setup file: everything a test file writes to stdout/stderr (JSON logs, kafkajs lines, console output)
// is also kept for the end-of-run secret scan (test/support/secret-scan-reporter.ts).
import { afterAll } from 'vitest';
import { captureForSecretScan, SCAN_DIR_ENV } from './secrets.js';

const chunks: string[] = [];
let size = 0;
const flush = () => {
  if (chunks.length === 0) return;
  captureForSecretScan(`output of a test worker (pid ${process.pid})`, chunks.join(''));
  chunks.length = 0;
  size = 0;
};

if (process.env[SCAN_DIR_ENV]) {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      chunks.push(text);
      size += text.length;
      if (size > 1 << 20) flush();
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  afterAll(flush);
}
