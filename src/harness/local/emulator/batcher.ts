import type { EventMessage } from '../../testing/build-event.js';

/** Lambda's fixed payload cap. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** A record waiting for an invocation. */
export interface PendingRecord {
  readonly message: EventMessage & { readonly partition: number; readonly offset: number };
  /** Approximate bytes it adds to the event's JSON (base64 grows data by 4/3). */
  readonly bytes: number;
  /** Delivery attempts so far. */
  attempts: number;
}

/** Estimated JSON size of a record inside an ESM event. */
export function recordBytes(message: EventMessage): number {
  const raw = (value: unknown) =>
    value === null || value === undefined ? 0 : Buffer.isBuffer(value) ? value.length : Buffer.byteLength(String(value));
  let headerBytes = 0;
  for (const [name, value] of Array.isArray(message.headers) ? message.headers : Object.entries(message.headers ?? {})) {
    headerBytes += name.length + 4 * raw(value); // byte arrays: up to "255," per byte
  }
  return Math.ceil(((raw(message.key) + raw(message.value)) * 4) / 3) + headerBytes + 200 + message.topic.length;
}

/**
 * Takes the next batch off the front of the queue the way Lambda's poller
 * closes a batch: at `batchSize` records or before the payload would pass
 * 6 MB. (The batching window is the caller's timer.)
 */
export function takeBatch(queue: PendingRecord[], batchSize: number, maxBytes = MAX_PAYLOAD_BYTES): PendingRecord[] {
  let bytes = 0;
  let count = 0;
  while (count < queue.length && count < batchSize) {
    const next = (queue[count] as PendingRecord).bytes;
    if (count > 0 && bytes + next > maxBytes) break;
    bytes += next;
    count++;
  }
  return queue.splice(0, count);
}

/** True when the queue already holds a full batch (by count or bytes), so waiting for the window is pointless. */
export function batchIsFull(queue: readonly PendingRecord[], batchSize: number, maxBytes = MAX_PAYLOAD_BYTES): boolean {
  if (queue.length >= batchSize) return true;
  let bytes = 0;
  for (const record of queue) {
    bytes += record.bytes;
    if (bytes > maxBytes) return true;
  }
  return false;
}
