import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../../src/runtime/errors/index.js';
import { decodeLineage, encodeLineage, messageIdText } from '../../../../src/runtime/router/lineage-compact.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineBatchRoute, defineRoute } from '../../../../src/runtime/router/route.js';
import { run } from '../../../support/router.js';

const at = { topic: 'out', partition: 0, offset: 7 };
const header = (headers: ReadonlyArray<readonly [string, Buffer]>, name: string) => headers.find(([n]) => n === name)?.[1];
const messages = [
  {
    topic: 'in',
    partition: 2,
    offset: 40,
    key: 'k',
    value: 1,
    headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  },
  { topic: 'in', partition: 2, offset: 41, key: 'k', value: 2 },
];

describe('compact lineage (x-lineage)', () => {
  it('round-trips topic, partition, offsets and the 16-byte id', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 249 }),
        fc.nat({ max: 2 ** 31 - 1 }),
        fc.maxSafeNat(),
        fc.option(fc.maxSafeNat(), { nil: undefined }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (sourceTopic, sourcePartition, sourceOffset, lastSourceOffset, messageId) => {
          const lineage = {
            sourceTopic,
            sourcePartition,
            sourceOffset,
            messageId,
            ...(lastSourceOffset === undefined ? {} : { lastSourceOffset }),
          };
          expect(decodeLineage(encodeLineage(lineage), at)).toEqual(lineage);
        },
      ),
    );
  });

  it('lays the bytes out as documented: version 1, flags, id, partition u32, offset i64, topic', () => {
    const id = Uint8Array.from({ length: 16 }, (_, i) => i);
    const bytes = encodeLineage({ sourceTopic: 'in', sourcePartition: 3, sourceOffset: 258, messageId: id });
    expect([...bytes]).toEqual([1, 0, ...id, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 1, 2, 0x69, 0x6e]);
  });

  it('rejects a short value, an unknown version and a range without its last offset with a DecodeError', () => {
    const good = encodeLineage({ sourceTopic: 't', sourcePartition: 0, sourceOffset: 0, messageId: new Uint8Array(16) });
    const wrongVersion = Buffer.from(good);
    wrongVersion[0] = 2;
    const rangeFlagOnly = Buffer.from(good.subarray(0, 30));
    rangeFlagOnly[1] = 1;
    for (const bad of [good.subarray(0, 10), wrongVersion, rangeFlagOnly]) {
      expect(() => decodeLineage(bad, at)).toThrow(DecodeError);
    }
  });

  it("carries the same id a 'headers' route puts in x-message-id, for record and aggregate outputs", async () => {
    const route = (lineage: 'headers' | 'compact') =>
      defineRoute({ topic: 'in', name: 'r', lineage, publishes: [to('a'), to('b')], handle: (value: unknown) => value });
    const text = (await run({ routes: [route('headers')] }, messages)).messages;
    const compact = (await run({ routes: [route('compact')] }, messages)).messages;
    // One lineage header instead of four; the inherited trace context still follows it.
    expect(compact.map((m) => m.headers.map(([name]) => name))).toEqual([
      ['x-lineage', 'traceparent'],
      ['x-lineage', 'traceparent'],
      ['x-lineage'],
      ['x-lineage'],
    ]);
    compact.forEach((message, i) => {
      const lineage = decodeLineage(header(message.headers, 'x-lineage') as Buffer, at);
      expect(messageIdText(lineage.messageId)).toBe(header(text[i]?.headers ?? [], 'x-message-id')?.toString());
      expect([lineage.sourceTopic, lineage.sourcePartition, lineage.sourceOffset]).toEqual(['in', 2, 40 + (i >> 1)]);
    });

    const batch = (lineage: 'headers' | 'compact') =>
      defineBatchRoute({
        topic: 'in',
        name: 'b',
        lineage,
        publishes: [to('sum')],
        handleBatch: (items, ctx) => ctx.publishAggregate('sum', items.length, { key: null }),
      });
    const [textAggregate] = (await run({ routes: [batch('headers')] }, messages)).messages;
    const [compactAggregate] = (await run({ routes: [batch('compact')] }, messages)).messages;
    const lineage = decodeLineage(header(compactAggregate?.headers ?? [], 'x-lineage') as Buffer, at);
    expect([lineage.sourceOffset, lineage.lastSourceOffset]).toEqual([40, 41]);
    expect(messageIdText(lineage.messageId)).toBe(header(textAggregate?.headers ?? [], 'x-message-id')?.toString());
  });
});
