import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { buildKafkaEvent, type EventMessage } from '../../../../src/harness/testing/build-event.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { defineRoute, PermanentError } from '../../../../src/runtime/index.js';
import { decodeRecordValue } from '../../../../src/runtime/router/decode.js';
import type { Logger } from '../../../../src/runtime/router/logger.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { compileRouteTable } from '../../../../src/runtime/router/table.js';
import { run } from '../../../support/router.js';

const SECRET = 'card=4111111111111111';

function capturingLogger(lines: string[]): Logger {
  const write = (level: string) => (message: string, attributes?: Record<string, unknown>) =>
    void lines.push(JSON.stringify({ level, message, ...attributes }));
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

describe('decoding errors never carry the value', () => {
  const cases: Array<[string, unknown, EventMessage]> = [
    ['invalid JSON (V8 quotes the start of the text)', undefined, { topic: 't', value: `${SECRET} is not JSON` }],
    ['a zod schema violation', z.object({ amount: z.number() }), { topic: 't', value: { amount: SECRET } }],
    [
      'a valibot schema violation (valibot quotes what it received)',
      v.object({ amount: v.number() }),
      { topic: 't', value: { amount: SECRET } },
    ],
  ];

  it.each(cases)('%s: no log line, error message or dead-letter header contains it', async (_name, schema, message) => {
    for (const deadLetter of [true, false]) {
      const lines: string[] = [];
      const route = defineRoute({ topic: 't', schema: schema as never, deadLetter, handle: () => undefined });
      const report = await run({ routes: [route], logger: capturingLogger(lines) }, [message]);
      const errors = report.failures.map((f) => String((f.error as Error).message));
      const headers = report.messages.flatMap((m) => m.headers.map(([name, value]) => `${name}=${value.toString('utf8')}`));
      expect(lines.length + errors.length).toBeGreaterThan(0);
      for (const text of [...lines, ...errors, ...headers]) expect(text).not.toContain('4111');
      // The error still says what and where.
      const described = deadLetter ? headers.find((h) => h.startsWith('kafka_dlt-exception-message=')) : errors[0];
      expect(described).toMatch(/t-0@0/);
    }
  });

  it('names the codec and the kind of failure', async () => {
    const report = await run({ routes: [defineRoute({ topic: 't', handle: () => undefined })] }, [{ topic: 't', value: 'nope' }]);
    expect((report.failures[0]?.error as Error | undefined)?.message).toBe(
      'Cannot decode the value: not valid json (SyntaxError) (at t-0@0)',
    );
  });

  it('names only the type of a non-Error a codec throws', async () => {
    const codec = {
      name: 'custom',
      decode: () => {
        throw 'card=4111111111111111';
      },
      encode: (value: unknown) => String(value),
    };
    const report = await run({ routes: [defineRoute({ topic: 't', codec, handle: () => undefined })] }, [{ topic: 't', value: 'x' }]);
    expect((report.failures[0]?.error as Error | undefined)?.message).toBe(
      'Cannot decode the value: not valid custom (non-Error thrown: string) (at t-0@0)',
    );
  });

  it('passes a codec’s own typed error through unchanged (a registry codec knows better what went wrong)', async () => {
    const own = new PermanentError('schema 7 is not registered');
    const codec = {
      name: 'avro',
      decode: () => {
        throw own;
      },
      encode: (value: unknown) => String(value),
    };
    const report = await run({ routes: [defineRoute({ topic: 't', codec, handle: () => undefined })] }, [{ topic: 't', value: 'x' }]);
    expect(report.failures[0]?.error).toBe(own);
  });

  it('turns an asynchronous codec’s rejection into a DecodeError that names only its kind', async () => {
    for (const [thrown, kind] of [
      [new SyntaxError('card=4111'), 'SyntaxError'],
      ['card=4111', 'non-Error thrown: string'],
    ] as const) {
      const codec = { name: 'remote', decode: async () => Promise.reject(thrown), encode: (value: unknown) => String(value) };
      const report = await run({ routes: [defineRoute({ topic: 't', codec, handle: () => undefined })] }, [{ topic: 't', value: 'x' }]);
      expect((report.failures[0]?.error as Error | undefined)?.message).toBe(
        `Cannot decode the value: not valid remote (${kind}) (at t-0@0)`,
      );
    }
  });
});

describe('decodeRecordValue', () => {
  it('stays synchronous for a route whose codecs and schema are synchronous (no promise per record)', () => {
    const compiled = compileRouteTable([defineRoute({ topic: 't', publishes: [to('out')], handle: () => undefined })]).routes[0];
    const record = parseKafkaEvent(buildKafkaEvent([{ topic: 't', value: { n: 1 } }])).lanes[0]?.records[0];
    if (!compiled || !record) throw new Error('no route or record');
    expect(decodeRecordValue(compiled, record)).toEqual({ n: 1 });
  });
});
