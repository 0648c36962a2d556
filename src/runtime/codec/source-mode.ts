// Lambda's ESM in SOURCE mode "removes all schema metadata, such as the schema ID" (AWS docs): whether that
// means only the record's `valueSchemaMetadata` or also the Confluent/Glue header in the bytes is not
// documented. A codec with a schema of its own reads both: bytes that merely *start* like a header are
// decoded as a frame and as a bare payload, and exactly one reading must succeed.
import { describeError } from '../errors/format.js';
import { DecodeError, SchemaNotFoundError } from '../errors/index.js';
import { looksConfluent } from './framing/confluent.js';
import { looksGlue } from './framing/glue.js';
import type { PayloadSource } from './framing/source.js';

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

function settle<T>(read: () => T | Promise<T>): Outcome<T> | Promise<Outcome<T>> {
  const fail = (error: unknown): Outcome<T> => ({ ok: false, error });
  try {
    const value = read();
    return value instanceof Promise ? value.then((v): Outcome<T> => ({ ok: true, value: v }), fail) : { ok: true, value };
  } catch (error) {
    return fail(error);
  }
}

/** True for the failures that say "not this reading" (anything else, such as a registry outage, stops the choice). */
function refused(error: unknown): boolean {
  return error instanceof DecodeError || error instanceof SchemaNotFoundError;
}

/** The problem part of a DecodeError's message (it starts "Cannot decode the value: "). */
function problemOf(error: unknown): string {
  return error instanceof DecodeError ? error.message.replace(/^Cannot decode the \w+: /, '') : describeError(error);
}

/**
 * Decodes bytes whose header was only sniffed both ways: as the frame (`framed`)
 * and as a bare payload (`bare`). One success is the value; two successes are
 * an ambiguity (a DecodeError, never a guess); two failures give the frame's
 * SchemaNotFoundError, or a DecodeError naming both problems. A registry outage
 * (or any other error) is thrown as is, so the record is retried, not judged.
 */
export function decodeEitherReading<T>(
  framed: () => T | Promise<T>,
  bare: () => T | Promise<T>,
  framing: 'confluent' | 'glue',
  source: PayloadSource,
): T | Promise<T> {
  const frameName = framing === 'glue' ? 'Glue' : 'Confluent';
  const choose = (asFramed: Outcome<T>, asBare: Outcome<T>): T => {
    if (!asFramed.ok && !refused(asFramed.error)) throw asFramed.error;
    if (!asBare.ok && !refused(asBare.error)) throw asBare.error;
    if (asFramed.ok && asBare.ok) {
      throw new DecodeError(
        source.part,
        `the bytes decode both as a ${frameName}-framed payload and as a bare one (Lambda's SOURCE mode may leave or remove the header): set the codec's framing to '${framing}' or 'none'`,
        source.at,
      );
    }
    if (asFramed.ok) return asFramed.value;
    if (asBare.ok) return asBare.value;
    if (asFramed.error instanceof SchemaNotFoundError) throw asFramed.error;
    throw new DecodeError(
      source.part,
      `neither as a ${frameName}-framed payload (${problemOf(asFramed.error)}) nor as a bare one (${problemOf(asBare.error)})`,
      source.at,
      asFramed.error,
    );
  };
  const first = settle(framed);
  const second = settle(bare);
  if (first instanceof Promise || second instanceof Promise) return Promise.all([first, second]).then(([a, b]) => choose(a, b));
  return choose(first, second);
}

/**
 * A DecodeError for bytes read as a bare payload (framing `none`) that start
 * like a registry header: says which option reads them.
 */
export function withFramingHint(error: DecodeError, bytes: Buffer, source: PayloadSource): DecodeError {
  const header = looksConfluent(bytes) ? 'Confluent' : looksGlue(bytes) ? 'Glue' : undefined;
  if (!header) return error;
  return new DecodeError(
    source.part,
    `${problemOf(error)}; the bytes start like a ${header} header: if they come from a Lambda ESM in SOURCE mode, set lambdaRecordFormat: 'SOURCE' (or framing: 'auto')`,
    source.at,
    error,
  );
}
