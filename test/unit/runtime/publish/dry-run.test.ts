import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDryRunPublisher } from '../../../../src/runtime/publish/dry-run.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createDryRunPublisher', () => {
  it('prints to stdout by default, one line per message, with the label first', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const source = { topic: 'in', partition: 0, offset: 0 };
    await createDryRunPublisher().publish(
      [{ topic: 'out', key: null, value: Buffer.from('1'), headers: [], source, sequence: 0, kind: 'output' }],
      { bootstrapServers: [], eventSourceArn: undefined },
    );
    expect(written).toEqual(['[dry run: not published, set KAFKA_BROKERS to publish] output → out key=null value=1\n']);
  });
});
