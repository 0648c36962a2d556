import { describe, expect, it } from 'vitest';
import { toTopicMessages } from '../../../../src/runtime/publish/messages.js';
import type { OutboundMessage } from '../../../../src/runtime/router/outbox.js';

describe('toTopicMessages', () => {
  it('turns any number of repeats of a header name into one array, in order', () => {
    const message: OutboundMessage = {
      topic: 't',
      key: Buffer.from('k'),
      value: null,
      headers: [
        ['h', Buffer.from('1')],
        ['other', Buffer.from('x')],
        ['h', Buffer.from('2')],
        ['h', Buffer.from('3')],
      ],
      source: { topic: 'in', partition: 0, offset: 0 },
      sequence: 0,
      kind: 'output',
    };
    const [topic] = toTopicMessages([message]);
    expect(topic?.messages[0]?.headers).toEqual({ h: [Buffer.from('1'), Buffer.from('2'), Buffer.from('3')], other: Buffer.from('x') });
    expect(topic?.messages[0]).toMatchObject({ key: Buffer.from('k'), value: null });
  });
});
