import { filterableOf, kafkaRecordFilter } from '../../filter-criteria/kafka-filter.js';
import type { EventMessage } from '../../testing/build-event.js';
import type { EventSourceSettings } from './types.js';

/** What filters read of a message the schema registry step decoded: the JSON rendering of each decoded part. */
export interface DecodedParts {
  readonly key?: Buffer;
  readonly value?: Buffer;
}

/** True when a record passes the mapping's filter criteria (and so reaches the function). */
export type FilterStep = (message: EventMessage, decoded?: DecodedParts) => boolean;

/**
 * The mapping's `filterPatterns` as a per-record test, or undefined without any. Patterns are compiled here,
 * when the emulator starts, so one Lambda would refuse fails the start with a ConfigError naming it. With a
 * schema registry, filters read the decoded record, as Lambda's do, and may filter on `key` when keys are
 * deserialized (SchemaValidationConfigs KEY).
 */
export function filterStep(source: EventSourceSettings): FilterStep | undefined {
  if (!source.filterPatterns || source.filterPatterns.length === 0) return undefined;
  const keep = kafkaRecordFilter(source.filterPatterns, { keyFilterable: source.schemaRegistry?.attributes.includes('KEY') ?? false });
  return (message, decoded) => keep(filterableOf(message, decoded));
}
