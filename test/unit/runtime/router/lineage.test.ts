import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { aggregateLineageHeaders } from '../../../../src/runtime/router/lineage.js';
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
    expect(headerText(first, 'x-source-topic')).toBe('in');
    expect(headerText(first, 'x-source-partition')).toBe('2');
    expect(headerText(first, 'x-source-offset')).toBe('40');
    expect(headerText(first, 'traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(headerText(first, 'x-correlation-id')).toBe('corr-9');
    expect(headerText(first, 'tracestate')).toBe('vendor=1');
    expect(headerText(report.messages[2]?.headers ?? [], 'traceparent')).toBeUndefined();
  });

  it('give every output a UUID-shaped id that is identical when the same batch is delivered again', async () => {
    const ids = async (name: string) =>
      (await run({ routes: [route(name)] }, messages)).messages.map((m) => headerText(m.headers, 'x-message-id'));
    const first = await ids('r');
    expect(first).toHaveLength(4);
    expect(new Set(first).size).toBe(4);
    for (const id of first) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await ids('r')).toEqual(first);
    // Another route reading the same record must not produce the same ids.
    expect((await ids('other')).some((id) => first.includes(id))).toBe(false);
  });
});

describe('lineage header names and ids (the documented contract, as literals)', () => {
  it('uses exactly the header names the README documents', async () => {
    const report = await run({ routes: [route('r')] }, messages);
    expect((report.messages[0]?.headers ?? []).map(([name]) => name)).toEqual([
      'x-source-topic',
      'x-source-partition',
      'x-source-offset',
      'x-message-id',
      'x-correlation-id',
      'traceparent',
      'tracestate',
    ]);
  });

  it('derives x-message-id as the UUID-shaped SHA-256 of route, topic, partition, offset, kind and sequence', async () => {
    const report = await run({ routes: [route('r')] }, messages);
    const hex = createHash('sha256').update(['r', 'in', '2', '40', 'output', '1'].join('\u0000')).digest('hex');
    const expected = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    // The second output of the first record (to topic b).
    expect(headerText(report.messages[1]?.headers ?? [], 'x-message-id')).toBe(expected);
  });

  it('names an aggregate’s partition and offset range, with an id pinned to its exact offsets', () => {
    const records = parseKafkaEvent(buildKafkaEvent(messages)).lanes[0]?.records ?? [];
    const headers = aggregateLineageHeaders('sums', records, 0).map(([name, value]) => [name, value.toString('utf8')]);
    // SHA-256 of "sums\0in\0002\0aggregate\0000" then "\0<offset>" per record, UUID-shaped: pinned, so ids stay stable across releases.
    expect(headers).toEqual([
      ['x-source-topic', 'in'],
      ['x-source-partition', '2'],
      ['x-source-offset', '40-41'],
      ['x-message-id', '24ba8c64-4eee-f4b3-0f8b-8422d287fc52'],
    ]);
    expect(aggregateLineageHeaders('sums', records.slice(0, 1), 0)[3]?.[1].toString()).not.toBe('24ba8c64-4eee-f4b3-0f8b-8422d287fc52');
  });
});
