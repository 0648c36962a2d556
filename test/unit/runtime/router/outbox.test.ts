import { describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { parseKafkaEvent } from '../../../../src/runtime/event/parse.js';
import { StagedOutputs } from '../../../../src/runtime/router/outbox.js';

const lane = () =>
  parseKafkaEvent(buildKafkaEvent([5, 6, 7].map((value) => ({ topic: 'in', partition: 1, offset: 10 + value, value })))).lanes[0]
    ?.records ?? [];
const staged = (value: string) => ({ topic: 'out', key: null, value: Buffer.from(value), headers: [['h', Buffer.from('1')] as const] });

describe('StagedOutputs', () => {
  it('numbers each record’s outputs from 0, whatever the other records staged', () => {
    const outputs = new StagedOutputs('r');
    const [a, b] = lane();
    if (!a || !b) throw new Error('no records');
    outputs.add(staged('a0'), a);
    outputs.add(staged('b0'), b);
    outputs.add(staged('a1'), a);
    expect(outputs.messages.map((m) => [m.value?.toString(), m.source.offset, m.sequence, m.kind])).toEqual([
      ['a0', 15, 0, 'output'],
      ['b0', 16, 0, 'output'],
      ['a1', 15, 1, 'output'],
    ]);
    // The handler's headers first, then lineage.
    expect(outputs.messages[0]?.headers.map(([name]) => name).slice(0, 2)).toEqual(['h', 'x-source-topic']);
  });

  it('stages an aggregate as an output of the batch’s last record, numbering aggregates apart', () => {
    const outputs = new StagedOutputs('r');
    const records = lane();
    outputs.addAggregate(staged('sum'), records);
    outputs.addAggregate(staged('count'), records);
    expect(outputs.messages.map((m) => [m.value?.toString(), m.source, m.sequence, m.kind])).toEqual([
      ['sum', { topic: 'in', partition: 1, offset: 17 }, 0, 'output'],
      ['count', { topic: 'in', partition: 1, offset: 17 }, 1, 'output'],
    ]);
    expect(outputs.messages[0]?.headers.map(([name, value]) => [name, value.toString()]).slice(0, 4)).toEqual([
      ['h', '1'],
      ['x-source-topic', 'in'],
      ['x-source-partition', '1'],
      ['x-source-offset', '15-17'],
    ]);
  });
});
