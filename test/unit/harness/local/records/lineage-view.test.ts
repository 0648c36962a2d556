import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerView } from '../../../../../src/harness/local/records/header-view.js';
import { lineageHeaderValue, messageIdOf } from '../../../../../src/harness/local/records/lineage-view.js';
import { encodeLineage, messageIdText } from '../../../../../src/runtime/router/lineage-compact.js';

const id = Uint8Array.from({ length: 16 }, (_, i) => i * 17);

describe('lineageHeaderValue', () => {
  it('shows the compact x-lineage header by its meaning, under the text headers’ names', () => {
    const one = encodeLineage({ sourceTopic: 'orders', sourcePartition: 3, sourceOffset: 42, messageId: id });
    const batch = encodeLineage({ sourceTopic: 'orders', sourcePartition: 1, sourceOffset: 10, lastSourceOffset: 12, messageId: id });
    expect(lineageHeaderValue('x-lineage', one)).toEqual({
      'x-source-topic': 'orders',
      'x-source-partition': 3,
      'x-source-offset': '42',
      'x-message-id': messageIdText(id),
    });
    expect(headerView([['x-lineage', batch]])).toEqual({
      'x-lineage': { 'x-source-topic': 'orders', 'x-source-partition': 1, 'x-source-offset': '10-12', 'x-message-id': messageIdText(id) },
    });
    expect(messageIdText(id)).toBe('00112233-4455-6677-8899-aabbccddeeff');
  });

  it('shows an x-lineage that does not decode as hex, not as garbage text and without failing', () => {
    expect(headerView([['x-lineage', Buffer.from([9, 0, 1])]])).toEqual({ 'x-lineage': 'hex:090001' });
    expect(headerView([['x-lineage', Buffer.from('short')]])).toEqual({ 'x-lineage': 'short' });
  });

  it('gives the same message id from x-lineage as the text header carries, for any lineage', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.nat({ max: 2 ** 31 }),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (sourceTopic, sourcePartition, sourceOffset, messageId) => {
          const bytes = encodeLineage({ sourceTopic, sourcePartition, sourceOffset, messageId });
          expect(messageIdOf([['x-lineage', bytes]])).toBe(messageIdText(messageId));
          expect(lineageHeaderValue('x-lineage', bytes)).toMatchObject({
            'x-source-topic': sourceTopic,
            'x-source-offset': String(sourceOffset),
          });
        },
      ),
    );
    expect(messageIdOf([['x-message-id', Buffer.from('abc')]])).toBe('abc');
    expect(messageIdOf([['x-other', Buffer.from('abc')]])).toBeUndefined();
  });
});
