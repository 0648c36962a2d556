import { describe, expect, it } from 'vitest';
import { LINEAGE_HEADERS } from '../../../../src/runtime/router/lineage.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { run } from '../../../support/router.js';

const headerText = (headers: ReadonlyArray<readonly [string, Buffer]>, name: string) =>
  headers.find(([n]) => n === name)?.[1].toString('utf8');
const messages = [
  {
    topic: 'in',
    partition: 2,
    offset: 40,
    key: 'k',
    value: 1,
    headers: {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=1',
      'x-correlation-id': 'corr-9',
    },
  },
  { topic: 'in', partition: 2, offset: 41, key: 'k', value: 2 },
];
const route = (name: string) => defineRoute({ topic: 'in', name, publishes: [to('a'), to('b')], handle: (value: unknown) => value });

describe('lineage headers', () => {
  it('name the source record and carry correlation id and traceparent over', async () => {
    const report = await run({ routes: [route('r')] }, messages);
    const first = report.messages[0]?.headers ?? [];
    expect(headerText(first, LINEAGE_HEADERS.sourceTopic)).toBe('in');
    expect(headerText(first, LINEAGE_HEADERS.sourcePartition)).toBe('2');
    expect(headerText(first, LINEAGE_HEADERS.sourceOffset)).toBe('40');
    expect(headerText(first, LINEAGE_HEADERS.traceparent)).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(headerText(first, LINEAGE_HEADERS.correlationId)).toBe('corr-9');
    expect(headerText(first, LINEAGE_HEADERS.tracestate)).toBe('vendor=1');
    expect(headerText(report.messages[2]?.headers ?? [], LINEAGE_HEADERS.traceparent)).toBeUndefined();
  });

  it('give every output a UUID-shaped id that is identical when the same batch is delivered again', async () => {
    const ids = async (name: string) =>
      (await run({ routes: [route(name)] }, messages)).messages.map((m) => headerText(m.headers, LINEAGE_HEADERS.messageId));
    const first = await ids('r');
    expect(first).toHaveLength(4);
    expect(new Set(first).size).toBe(4);
    for (const id of first) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await ids('r')).toEqual(first);
    // Another route reading the same record must not produce the same ids.
    expect((await ids('other')).some((id) => first.includes(id))).toBe(false);
  });
});
