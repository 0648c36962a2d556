import { type BuildEventOptions, buildKafkaEvent, type EventMessage } from '../../src/harness/testing/build-event.js';

/** A record of a built event as plain, editable JSON. */
export type MutableRecord = Record<string, unknown>;
/** A built event as plain, editable JSON, for corrupting it on purpose. */
export type MutableEvent = Record<string, unknown> & { records: Record<string, MutableRecord[]> };

/** Builds an event with the product's builder, then returns a deep JSON copy a test may corrupt. */
export function mutableEvent(messages: readonly EventMessage[], options: BuildEventOptions = {}): MutableEvent {
  return JSON.parse(JSON.stringify(buildKafkaEvent(messages, { timestamp: 1_700_000_000_000, ...options })));
}

/** The record at `lane`/`index` of a mutable event; throws if absent. */
export function recordOf(event: MutableEvent, lane: string, index = 0): MutableRecord {
  const record = event.records[lane]?.[index];
  if (!record) throw new Error(`no record ${lane}[${index}]`);
  return record;
}
