import type { JsonSchema } from './json-schema.js';
import type { ChannelMessage, TopicUse } from './messages.js';
import { compareText } from './order.js';

/** The channel object of a topic: its address, who reads and writes it, its messages, and its Kafka binding. */
export function channelObject(use: TopicUse, messages: readonly ChannelMessage[], multiServer: boolean): JsonSchema {
  const readers = use.consumers.map((c) => `${c.fn} (route ${c.route.name})`);
  const writers = [
    ...new Set(use.producers.map((p) => (p.kind === 'on-failure' ? `Lambda's event source mapping of ${p.fn}` : `${p.fn}`))),
  ];
  const roles = new Set(use.producers.map((p) => p.kind));
  return {
    address: use.pattern ? '{topic}' : use.topic,
    ...(use.pattern ? { title: `Topics matching ${String(use.pattern)}` } : {}),
    description: [readers.length > 0 ? `Read by ${readers.join(', ')}.` : '', writers.length > 0 ? `Written by ${writers.join(', ')}.` : '']
      .filter(Boolean)
      .join(' '),
    messages: Object.fromEntries(messages.map((m) => [m.id, { $ref: `#/components/messages/${m.id}` }])),
    ...(use.pattern ? { parameters: { topic: { description: `Any topic matching ${String(use.pattern)}` } } } : {}),
    ...(multiServer && use.servers.size > 0
      ? { servers: [...use.servers].sort(compareText).map((s) => ({ $ref: `#/servers/${s}` })) }
      : {}),
    ...(roles.has('dead-letter') || roles.has('on-failure')
      ? {
          tags: [...roles]
            .filter((r) => r !== 'output')
            .sort(compareText)
            .map((name) => ({ name })),
        }
      : {}),
    bindings: { kafka: { ...(use.pattern ? {} : { topic: use.topic }), bindingVersion: '0.5.0' } },
  };
}
