import { buildKafkaEvent, type EventMessage } from '../../src/harness/testing/build-event.js';
import type { KafkaEvent } from '../../src/runtime/event/types.js';

/**
 * The perf-anchors event: `records` records over `partitions` partitions, each
 * value ~`valueBytes` of JSON (1 in 4 with non-ASCII text), two headers each.
 */
export function benchEvent(records = 1_000, partitions = 4, valueBytes = 1_000): KafkaEvent {
  const messages: EventMessage[] = [];
  for (let i = 0; i < records; i++) {
    const note = i % 4 === 0 ? 'Crème brûlée für Zoë — ☕ ' : 'plain ascii text here ';
    const value: Record<string, unknown> = { id: i, customer: `customer-${i % 97}`, sku: `SKU-${i % 13}`, qty: (i % 5) + 1, note: '' };
    const base = JSON.stringify(value).length;
    value.note = note.repeat(Math.ceil((valueBytes - base) / note.length)).slice(0, Math.max(0, valueBytes - base));
    messages.push({
      topic: 'orders',
      partition: i % partitions,
      key: `customer-${i % 97}`,
      value,
      headers: { 'content-type': 'application/json', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    });
  }
  // Through JSON, as the Lambda runtime hands it over.
  return JSON.parse(JSON.stringify(buildKafkaEvent(messages, { timestamp: 1_700_000_000_000 })));
}
