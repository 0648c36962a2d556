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

describe('createDryRunPublisher: binary keys and values', () => {
  const source = { topic: 'in', partition: 0, offset: 0 };
  const lineFor = async (key: Buffer | null, value: Buffer | null) => {
    const lines: string[] = [];
    await createDryRunPublisher((line) => lines.push(line)).publish(
      [{ topic: 'out', key, value, headers: [], source, sequence: 0, kind: 'output' }],
      { bootstrapServers: [], eventSourceArn: undefined },
    );
    return lines[0] ?? '';
  };

  it('prints text keys quoted and text values as they are, multi-byte UTF-8 included', async () => {
    expect(await lineFor(Buffer.from('cus-1'), Buffer.from('{"ok":"ü"}\n'))).toMatch(/key="cus-1" value=\{"ok":"ü"\}\n$/);
  });

  it('prints Avro-like bytes (NUL bytes, invalid UTF-8) as their length and base64, never raw', async () => {
    const avro = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x07, 0xd2, 0x0f, 0x06, 0x66, 0x6f, 0x6f]);
    const line = await lineFor(Buffer.from([0xca, 0xfe]), avro);
    expect(line).toContain(`key=<2 bytes, base64 yv4=> value=<11 bytes, base64 ${avro.toString('base64')}>`);
    expect([...Buffer.from(line)].filter((byte) => byte < 0x20)).toEqual([]);
  });

  it('treats valid UTF-8 with control characters as binary, and a tombstone as null', async () => {
    expect(await lineFor(null, Buffer.from('a\u0000b'))).toMatch(/key=null value=<3 bytes, base64 YQBi>$/);
    expect(await lineFor(Buffer.from('k'), null)).toMatch(/key="k" value=null$/);
  });
});
