// How errors and records are named in messages and logs: coordinates, never key or value bytes.

/** Where a record lives in Kafka: enough to find it again, or to report it to Lambda. */
export interface RecordCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** `orders-0@15`: the way coordinates appear in messages and logs. */
export function formatCoordinates(at: RecordCoordinates): string {
  return `${at.topic}-${at.partition}@${at.offset}`;
}

/** `Name: message` for any thrown value, without its stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `non-Error thrown: ${typeof error}`;
}
