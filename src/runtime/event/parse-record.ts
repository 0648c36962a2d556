import { InvalidEventError } from '../errors/index.js';
import { decodeBase64 } from './base64.js';
import { describeJson, isJsonObject } from './describe-json.js';
import { InboundRecord, RAW_TEXT_KEY, RAW_TEXT_VALUE } from './record.js';
import type { RawKafkaHeader, SchemaMetadata } from './types.js';

/** Topic and partition of a lane. */
export interface LaneCoordinates {
  readonly topic: string;
  readonly partition: number;
}

const INT32_MAX = 2 ** 31 - 1;

/** The topic and partition named by a lane id `"<topic>-<partition>"` (topics may contain dashes), if it parses. */
export function laneCoordinates(id: string): LaneCoordinates | undefined {
  const dash = id.lastIndexOf('-');
  const partition = asPartition(id.slice(dash + 1));
  return dash > 0 && partition !== undefined ? { topic: id.slice(0, dash), partition } : undefined;
}

/**
 * Parses one lane's records. A record-level defect never throws: the record is
 * kept, with the first problem as its `defect` and best-effort coordinates (the
 * lane's topic and partition; an offset inferred from its neighbours when its
 * own is unusable), so its lane can dead-letter it or fail at it.
 * Throws only when a record's offset cannot even be inferred.
 */
export function parseLaneRecords(list: readonly unknown[], lanePath: string, laneId: string): InboundRecord[] {
  const lane = laneCoordinates(laneId);
  const offsets = list.map((input) => (isJsonObject(input) && isOffset(input.offset) ? input.offset : undefined));
  const records: InboundRecord[] = new Array(list.length);
  let previous = -1;
  for (let i = 0; i < list.length; i++) {
    const offset = offsets[i] ?? inferOffset(offsets, i, previous);
    if (offset === undefined) {
      throw new InvalidEventError(
        `${lanePath}[${i}].offset`,
        'no usable offset in this record or its neighbours, so it cannot be reported to Lambda',
      );
    }
    const record = parseRecord(list[i], lanePath, i, laneId, lane, offset);
    if (!record.defect && record.offset <= previous) {
      record.defect = new InvalidEventError(
        `${lanePath}[${i}].offset`,
        `offsets must increase within a partition (${record.offset} after ${previous})`,
      );
    }
    previous = Math.max(previous, record.offset);
    records[i] = record;
  }
  return records;
}

// The happy path allocates nothing but the record: paths and errors are built only for a defect.
function parseRecord(
  input: unknown,
  lanePath: string,
  index: number,
  laneId: string,
  lane: LaneCoordinates | undefined,
  offset: number,
): InboundRecord {
  const fields = isJsonObject(input) ? input : NO_FIELDS;
  let defect =
    fields === NO_FIELDS
      ? new InvalidEventError(`${lanePath}[${index}]`, `expected a record object, got ${describeJson(input)}`)
      : fieldDefect(fields, lanePath, index);
  const headerCheck = checkHeaders(fields.headers, lanePath, index);
  if (headerCheck instanceof InvalidEventError) defect ??= headerCheck;
  const keyMetadata = schemaMetadata(fields.keySchemaMetadata, lanePath, index, 'keySchemaMetadata');
  const valueMetadata = schemaMetadata(fields.valueSchemaMetadata, lanePath, index, 'valueSchemaMetadata');
  if (keyMetadata instanceof InvalidEventError) defect ??= keyMetadata;
  if (valueMetadata instanceof InvalidEventError) defect ??= valueMetadata;

  const { topic, partition, timestamp, timestampType, key, value } = fields;
  const recordTopic = typeof topic === 'string' && topic !== '' ? topic : (lane?.topic ?? laneId);
  const recordPartition = asPartition(partition) ?? lane?.partition ?? -1;
  if (!defect && (recordTopic !== lane?.topic || recordPartition !== lane.partition)) {
    defect = new InvalidEventError(
      `${lanePath}[${index}]`,
      `its topic and partition (${recordPartition}) do not match the lane "${laneId}" it is filed under`,
    );
  }
  const record = new InboundRecord(
    // A defective record keeps its lane's coordinates, so it is reported and dead-lettered where Lambda filed it.
    defect ? (lane?.topic ?? recordTopic) : recordTopic,
    defect ? (lane?.partition ?? recordPartition) : recordPartition,
    offset,
    Number.isSafeInteger(timestamp) ? (timestamp as number) : -1,
    typeof timestampType === 'string' ? timestampType : 'NO_TIMESTAMP_TYPE',
    rawField(key),
    rawField(value),
    headerCheck === undefined
      ? ((fields.headers as readonly RawKafkaHeader[] | null | undefined) ?? null)
      : headerCheck === CONVERT
        ? normaliseHeaders(fields.headers as readonly RawKafkaHeader[])
        : null,
    keyMetadata instanceof InvalidEventError ? undefined : keyMetadata,
    valueMetadata instanceof InvalidEventError ? undefined : valueMetadata,
  );
  if (defect) {
    record.defect = defect;
    record.rawText = (isText(key) ? RAW_TEXT_KEY : 0) | (isText(value) ? RAW_TEXT_VALUE : 0);
    if (headerCheck instanceof InvalidEventError) record.rawHeadersText = JSON.stringify(fields.headers);
  }
  return record;
}

const NO_FIELDS: Record<string, unknown> = {};

// The first problem with a record's own fields, if any.
function fieldDefect(fields: Record<string, unknown>, lanePath: string, index: number): InvalidEventError | undefined {
  const { topic, partition, offset, timestamp, timestampType, key, value } = fields;
  if (typeof topic !== 'string' || topic === '')
    return new InvalidEventError(`${lanePath}[${index}].topic`, `expected a topic name, got ${describeJson(topic)}`);
  if (asPartition(partition) === undefined)
    return new InvalidEventError(
      `${lanePath}[${index}].partition`,
      `expected a partition number 0..${INT32_MAX}, got ${describeJson(partition)}`,
    );
  if (!isOffset(offset))
    return new InvalidEventError(`${lanePath}[${index}].offset`, `expected a non-negative integer offset, got ${describeJson(offset)}`);
  if (!Number.isSafeInteger(timestamp))
    return new InvalidEventError(
      `${lanePath}[${index}].timestamp`,
      `expected epoch milliseconds as an integer, got ${describeJson(timestamp)}`,
    );
  if (typeof timestampType !== 'string')
    return new InvalidEventError(`${lanePath}[${index}].timestampType`, `expected a string, got ${describeJson(timestampType)}`);
  if (key !== undefined && key !== null && typeof key !== 'string')
    return new InvalidEventError(`${lanePath}[${index}].key`, `expected a base64 string or null, got ${describeJson(key)}`);
  if (value !== undefined && value !== null && typeof value !== 'string')
    return new InvalidEventError(`${lanePath}[${index}].value`, `expected a base64 string or null, got ${describeJson(value)}`);
  return undefined;
}

/** `checkHeaders` result: valid, but some values are base64 strings to turn into bytes. */
const CONVERT = 1;

/**
 * Header values arrive as arrays of bytes, signed (-128..127, Java's form) or
 * unsigned (0..255); older AWS samples and the Java runtime send a base64 string
 * instead. Anything else is a defect, never silently coerced.
 */
function checkHeaders(input: unknown, lanePath: string, index: number): InvalidEventError | typeof CONVERT | undefined {
  if (input === undefined || input === null) return undefined;
  if (!Array.isArray(input))
    return new InvalidEventError(`${lanePath}[${index}].headers`, `expected an array of {name: bytes} objects, got ${describeJson(input)}`);
  let result: typeof CONVERT | undefined;
  for (let i = 0; i < input.length; i++) {
    const header: unknown = input[i];
    if (!isJsonObject(header))
      return new InvalidEventError(`${lanePath}[${index}].headers[${i}]`, `expected {name: bytes}, got ${describeJson(header)}`);
    for (const name in header) {
      const bytes = header[name];
      if (typeof bytes === 'string') {
        if (!decodeBase64(bytes))
          return new InvalidEventError(
            `${lanePath}[${index}].headers[${i}][${JSON.stringify(name)}]`,
            `a header given as a string must be base64 (${bytes.length} characters)`,
          );
        result = CONVERT;
        continue;
      }
      if (!Array.isArray(bytes))
        return new InvalidEventError(
          `${lanePath}[${index}].headers[${i}][${JSON.stringify(name)}]`,
          `expected an array of bytes, got ${describeJson(bytes)}`,
        );
      for (let b = 0; b < bytes.length; b++) {
        const byte: unknown = bytes[b];
        // An integer from -128 (Java's signed bytes) to 255; `| 0` rejects fractions, NaN and anything beyond int32.
        if (typeof byte !== 'number' || (byte | 0) !== byte || byte < -128 || byte > 255) {
          return new InvalidEventError(
            `${lanePath}[${index}].headers[${i}][${JSON.stringify(name)}][${b}]`,
            `expected a byte (-128..255), got ${describeJson(byte)}`,
          );
        }
      }
    }
  }
  return result;
}

// Rare: base64 header values become byte arrays, so decoding has one form.
function normaliseHeaders(headers: readonly RawKafkaHeader[]): RawKafkaHeader[] {
  return headers.map((header) => {
    const entry: Record<string, readonly number[]> = {};
    for (const name in header) {
      const bytes: unknown = header[name];
      entry[name] = typeof bytes === 'string' ? [...(decodeBase64(bytes) as Buffer)] : (bytes as readonly number[]);
    }
    return entry;
  });
}

function schemaMetadata(input: unknown, lanePath: string, index: number, field: string): SchemaMetadata | InvalidEventError | undefined {
  if (input === undefined || input === null) return undefined;
  if (!isJsonObject(input) || typeof input.dataFormat !== 'string') {
    return new InvalidEventError(`${lanePath}[${index}].${field}`, `expected {dataFormat, schemaId?}, got ${describeJson(input)}`);
  }
  return typeof input.schemaId === 'string' ? { dataFormat: input.dataFormat, schemaId: input.schemaId } : { dataFormat: input.dataFormat };
}

// A key or value that is not a string (a defect) is kept as its JSON text, so a dead letter can carry it.
function rawField(input: unknown): string | null {
  if (input === undefined || input === null) return null;
  return typeof input === 'string' ? input : JSON.stringify(input);
}

function isText(input: unknown): boolean {
  return input !== undefined && input !== null && typeof input !== 'string';
}

function asPartition(input: unknown): number | undefined {
  const partition = typeof input === 'string' && /^\d{1,10}$/.test(input) ? Number(input) : input;
  return Number.isInteger(partition) && (partition as number) >= 0 && (partition as number) <= INT32_MAX
    ? (partition as number)
    : undefined;
}

function isOffset(input: unknown): input is number {
  return Number.isSafeInteger(input) && (input as number) >= 0;
}

// A record whose own offset is unusable sits between its neighbours: one past the previous, else one before the next.
function inferOffset(offsets: ReadonlyArray<number | undefined>, index: number, previous: number): number | undefined {
  if (previous >= 0) return previous + 1;
  for (let next = index + 1; next < offsets.length; next++) {
    const known = offsets[next];
    if (known !== undefined) return known - (next - index) >= 0 ? known - (next - index) : undefined;
  }
  return undefined;
}
