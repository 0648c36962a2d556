import type { IHeaders, Message, TopicMessages } from 'kafkajs';
import type { OutboundMessage } from '../router/outbox.js';

/**
 * Groups the outbox by topic for one `sendBatch`, keeping each topic's messages
 * in outbox order, so messages with the same key (same partition) keep their
 * order. Repeated header names become kafkajs's array form, which keeps their
 * relative order.
 */
export function toTopicMessages(messages: readonly OutboundMessage[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const message of messages) {
    const headers: IHeaders = {};
    for (const [name, value] of message.headers) {
      const existing = headers[name];
      if (existing === undefined) headers[name] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else headers[name] = [existing, value];
    }
    let list = byTopic.get(message.topic);
    if (!list) {
      list = [];
      byTopic.set(message.topic, list);
    }
    list.push({ key: message.key, value: message.value, headers });
  }
  return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
}
