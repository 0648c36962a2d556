/** Where an input record lives: its partition and offset in the input topic. */
export interface SourceRecord {
  readonly partition: number;
  readonly offset: number;
}

/** One message read back from the output or dead-letter topic. */
export interface Delivery {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  /** The `x-message-id` header (undefined when missing: such a copy cannot be recognised). */
  readonly messageId: string | undefined;
  /** The input record it was produced from (lineage or Spring dead-letter headers). */
  readonly source: SourceRecord | undefined;
  /** The message's timestamp (set by the function's producer when it sent it), ms since epoch. */
  readonly timestamp: number;
}

/** What a scenario's run comes to. */
export interface Tally {
  /** Input records (counted in the input topic). */
  readonly inputs: number;
  /** Distinct outputs, deduplicated by `x-message-id`. */
  readonly distinctOutputs: number;
  /** Inputs with at least one output. */
  readonly handled: number;
  /** Inputs dead-lettered (and never handled). */
  readonly deadLettered: number;
  /** Inputs both handled and dead-lettered (should not happen in a deterministic pipeline). */
  readonly handledAndDeadLettered: number;
  /** Copies beyond the first, outputs and dead letters together. */
  readonly duplicates: number;
  /** Copies whose id differs from their first copy's, or that carry none: duplicates nobody can drop. */
  readonly mismatchedIds: number;
  /** `inputs − handled − deadLettered`: must be 0. */
  readonly lost: number;
  /** First deliveries of a key out of the key's input order: must be 0. */
  readonly orderViolations: number;
  /** Deliveries naming no input record of this run. */
  readonly unknownSources: number;
}

const sourceId = (source: SourceRecord) => `${source.partition}/${source.offset}`;

/**
 * Counts a run. `inputsPerPartition[p]` is how many records partition p of the
 * input topic holds (offsets 0…n-1). Deliveries of one topic are taken in
 * partition then offset order, which is the order a consumer reads them in.
 */
export function tally(inputsPerPartition: readonly number[], outputs: readonly Delivery[], deadLetters: readonly Delivery[]): Tally {
  const inputs = inputsPerPartition.reduce((sum, n) => sum + n, 0);
  const isInput = (source: SourceRecord | undefined): source is SourceRecord =>
    source !== undefined && source.offset >= 0 && source.offset < (inputsPerPartition[source.partition] ?? 0);

  let duplicates = 0;
  let mismatchedIds = 0;
  let unknownSources = 0;
  const reached = (deliveries: readonly Delivery[]) => {
    const firstIdOfSource = new Map<string, string | undefined>();
    const seenIds = new Set<string>();
    for (const delivery of deliveries) {
      if (!isInput(delivery.source)) {
        unknownSources++;
        continue;
      }
      const source = sourceId(delivery.source);
      if (!firstIdOfSource.has(source)) {
        firstIdOfSource.set(source, delivery.messageId);
        if (delivery.messageId === undefined) mismatchedIds++;
        else seenIds.add(delivery.messageId);
        continue;
      }
      duplicates++;
      if (delivery.messageId === undefined || delivery.messageId !== firstIdOfSource.get(source)) mismatchedIds++;
    }
    return { sources: new Set(firstIdOfSource.keys()), distinct: seenIds.size };
  };
  const sorted = (deliveries: readonly Delivery[]) => [...deliveries].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const out = reached(sorted(outputs));
  const dead = reached(sorted(deadLetters));
  let handledAndDeadLettered = 0;
  for (const source of dead.sources) if (out.sources.has(source)) handledAndDeadLettered++;
  const handled = out.sources.size;
  const deadLettered = dead.sources.size - handledAndDeadLettered;
  return {
    inputs,
    distinctOutputs: out.distinct,
    handled,
    deadLettered,
    handledAndDeadLettered,
    duplicates,
    mismatchedIds,
    lost: inputs - handled - deadLettered,
    orderViolations: orderViolations(sorted(outputs)) + orderViolations(sorted(deadLetters)),
    unknownSources,
  };
}

/**
 * Per key, the first delivery of each message must come in the input order of
 * its source records: a key's records share one input partition, so their
 * offsets order them. Later copies (redeliveries) are not first deliveries.
 */
function orderViolations(deliveries: readonly Delivery[]): number {
  const seen = new Set<string>();
  const lastOffset = new Map<string, number>();
  let violations = 0;
  for (const delivery of deliveries) {
    if (delivery.messageId === undefined || delivery.source === undefined || seen.has(delivery.messageId)) continue;
    seen.add(delivery.messageId);
    const lane = `${delivery.key}\u0000${delivery.source.partition}`;
    const last = lastOffset.get(lane);
    if (last !== undefined && delivery.source.offset < last) violations++;
    else lastOffset.set(lane, delivery.source.offset);
  }
  return violations;
}

/**
 * When each input was first accounted for downstream: the earliest producer
 * timestamp among its outputs and dead letters. Producer time, not read time,
 * so a slow reader does not stretch a measured recovery.
 */
export function firstAccountedTimes(deliveries: readonly Delivery[]): number[] {
  const first = new Map<string, number>();
  for (const delivery of deliveries) {
    if (!delivery.source) continue;
    const id = sourceId(delivery.source);
    const seen = first.get(id);
    if (seen === undefined || delivery.timestamp < seen) first.set(id, delivery.timestamp);
  }
  return [...first.values()].sort((a, b) => a - b);
}
