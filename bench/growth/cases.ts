import type { KafkaEvent, RawKafkaRecord } from '../../src/runtime/event/types.js';
import { to } from '../../src/runtime/router/publishers.js';
import { defineBatchRoute, defineRoute, type Route } from '../../src/runtime/router/route.js';
import { Order, transform } from '../billed/work.js';
import { benchEvent } from '../lib/fixtures.js';

/** The batch sizes of the growth curves (Lambda's event source mapping allows up to 10,000 records). */
export const BATCH_SIZES = [1, 10, 100, 1_000, 10_000] as const;

/** The input partitions an event's records are spread over. */
export const PARTITIONS = [1, 4, 16] as const;

/** With dead letters on, one record in this many fails validation for good and goes to the dead-letter topic. */
export const POISON_EVERY = 10;

/** The example app's order records (events/validate-orders.json: 196–232 bytes), as in the billed-cost bench. */
export const VALUE_BYTES = 230;

/** One curve's configuration: everything but the batch size. */
export interface GrowthCase {
  readonly route: 'record' | 'batch';
  readonly partitions: number;
  /** The route dead-letters, and the event has poison records (one in {@link POISON_EVERY}). */
  readonly deadLetters: boolean;
  /** Outputs per handled record: 0 (the handler publishes nothing) or one per declared topic. */
  readonly outputs: number;
}

/** Topics a case publishes to. */
export interface GrowthTopics {
  readonly outputs: readonly string[];
  readonly deadLetter: string;
}

/** The CPU matrix: record and batch routes × 1, 4, 16 partitions × dead letters off and on × 0 and 3 outputs. */
export function cpuCases(): GrowthCase[] {
  const cases: GrowthCase[] = [];
  for (const route of ['record', 'batch'] as const)
    for (const outputs of [0, 3])
      for (const partitions of PARTITIONS) for (const deadLetters of [false, true]) cases.push({ route, partitions, deadLetters, outputs });
  return cases;
}

/**
 * The cases flushed to the real broker: both route kinds, dead letters off and on, 3 outputs, 4 partitions.
 * 0 outputs without dead letters sends nothing (the CPU curve is the whole cost), and the input partition count
 * does not change what is sent (outputs are keyed by the input key).
 */
export function brokerCases(): GrowthCase[] {
  return (['record', 'batch'] as const).flatMap((route) =>
    [false, true].map((deadLetters) => ({ route, partitions: 4, deadLetters, outputs: 3 })),
  );
}

/** A short stable name for tables and plot legends: `record · 4 partitions · 3 outputs · dead letters`. */
export function caseName(c: GrowthCase): string {
  return `${c.route} · ${c.partitions} partition${c.partitions === 1 ? '' : 's'} · ${c.outputs} outputs${c.deadLetters ? ' · dead letters' : ''}`;
}

/** How many records of a batch of `size` are poison (fail validation) when dead letters are on. */
export function poisonCount(size: number, deadLetters: boolean): number {
  return deadLetters ? Math.floor(size / POISON_EVERY) : 0;
}

/**
 * The bench event for one point: `size` example-app orders over `partitions` partitions (bench/lib/fixtures.ts),
 * with, when `deadLetters`, every {@link POISON_EVERY}-th record (in event order) made to fail the schema: its
 * `qty` is text. A batch of fewer than {@link POISON_EVERY} records therefore has no poison record.
 */
export function growthEvent(size: number, partitions: number, deadLetters: boolean): KafkaEvent {
  const event = benchEvent(size, partitions, VALUE_BYTES);
  if (!deadLetters) return event;
  let n = 0;
  const poison = (record: RawKafkaRecord): RawKafkaRecord => {
    if (++n % POISON_EVERY !== 0) return record;
    const order = JSON.parse(Buffer.from(record.value as string, 'base64').toString('utf8')) as Record<string, unknown>;
    order.qty = 'three';
    return { ...record, value: Buffer.from(JSON.stringify(order)).toString('base64') };
  };
  const records = Object.entries(event.records as Record<string, RawKafkaRecord[]>).map(([lane, list]) => [lane, list.map(poison)]);
  return { ...event, records: Object.fromEntries(records) } as KafkaEvent;
}

/**
 * The route of a case: decode JSON, validate with zod/mini (the billed-cost work), transform, and return the
 * result to each declared output (none for 0 outputs); dead letters to `topics.deadLetter` when on.
 */
export function growthRoute(c: GrowthCase, topics: GrowthTopics): Route {
  const publishes = topics.outputs.slice(0, c.outputs).map((topic) => to(topic));
  const common = {
    topic: 'orders',
    name: `growth-${c.route}`,
    schema: Order,
    publishes,
    ...(c.deadLetters ? { deadLetter: topics.deadLetter } : {}),
  };
  if (c.route === 'record') return defineRoute({ ...common, handle: (order) => (c.outputs > 0 ? transform(order) : undefined) });
  return defineBatchRoute({ ...common, handleBatch: (items) => (c.outputs > 0 ? items.map((item) => transform(item.value)) : undefined) });
}
