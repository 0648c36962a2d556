import { DecodeError, type RecordCoordinates } from '../../errors/index.js';

/** Which part of which record a payload came from: every framing error names it, never the bytes. */
export interface PayloadSource {
  readonly part: 'key' | 'value';
  readonly at: RecordCoordinates;
}

/** Throws the DecodeError for a malformed payload of `source`. */
export function malformed(source: PayloadSource, problem: string, cause?: unknown): never {
  throw new DecodeError(source.part, problem, source.at, cause);
}
