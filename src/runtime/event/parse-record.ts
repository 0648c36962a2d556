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
    const path = `${lanePath}[${i}]`;
    const offset = offsets[i] ?? inferOffset(offsets, i, previous);
    if (offset === undefined) {
      throw new InvalidEventError(
        `${path}.offset`,
        'no usable offset in this record or its neighbours, so it cannot be reported to Lambda',
      );
    }
    const record = parseRecord(list[i], path, laneId, lane, offset);
    if (!record.defect && record.offset <= previous) {
      record.defect = new InvalidEventError(
        `${path}.offset`,
        `offsets must increase within a partition (${record.offset} after ${previous})`,
      );
    }
    previous = Math.max(previous, record.offset);
    records[i] = record;
  }
  return records;
}

function parseRecord(input: unknown, path: string, laneId: string, lane: LaneCoordinates | undefined, offset: number): InboundRecord {
  const fields = isJsonObject(input) ? input : {};
  const problems: InvalidEventError[] = [];
  const problem = (field: string, message: string) => problems.push(new InvalidEventError(field ? `${path}.${field}` : path, message));
  if (!isJsonObject(input)) problem('', `expected a record object, got ${describeJson(input)}`);

  const { topic, partition, timestamp, timestampType, key, value } = fields;
  if (isJsonObject(input)) {
    if (typeof topic !== 'string' || topic === '') problem('topic', `expected a topic name, got ${describeJson(topic)}`);
    if (asPartition(partition) === undefined)
      problem('partition', `expected a partition number 0..${INT32_MAX}, got ${describeJson(partition)}`);
    if (!isOffset(fields.offset)) problem('offset', `expected a non-negative integer offset, got ${describeJson(fields.offset)}`);
    if (!Number.isSafeInteger(timestamp)) problem('timestamp', `expected epoch milliseconds as an integer, got ${describeJson(timestamp)}`);
    if (typeof timestampType !== 'string') problem('timestampType', `expected a string, got ${describeJson(timestampType)}`);
    if (key !== undefined && key !== null && typeof key !== 'string')
      problem('key', `expected a base64 string or null, got ${describeJson(key)}`);
    if (value !== undefined && value !== null && typeof value !== 'string')
      problem('value', `expected a base64 string or null, got ${describeJson(value)}`);
  }
  const headers = parseHeaders(fields.headers, `${path}.headers`);
  if (headers.problem) problems.push(headers.problem);
  const keyMetadata = schemaMetadata(fields.keySchemaMetadata, `${path}.keySchemaMetadata`);
  const valueMetadata = schemaMetadata(fields.valueSchemaMetadata, `${path}.valueSchemaMetadata`);
  for (const metadata of [keyMetadata, valueMetadata]) if (metadata instanceof InvalidEventError) problems.push(metadata);

  const recordTopic = typeof topic === 'string' && topic !== '' ? topic : (lane?.topic ?? laneId);
  const recordPartition = asPartition(partition) ?? lane?.partition ?? -1;
  if (problems.length === 0 && `${recordTopic}-${recordPartition}` !== laneId) {
    problem('', `its topic and partition (${recordPartition}) do not match the lane "${laneId}" it is filed under`);
  }
  const rawKey = rawField(key);
  const rawValue = rawField(value);
  const rawText = (isText(key) ? RAW_TEXT_KEY : 0) | (isText(value) ? RAW_TEXT_VALUE : 0);
  const record = new InboundRecord(
    // A defective record keeps its lane's coordinates, so it is reported and dead-lettered where Lambda filed it.
    problems.length > 0 ? (lane?.topic ?? recordTopic) : recordTopic,
    problems.length > 0 ? (lane?.partition ?? recordPartition) : recordPartition,
    offset,
    Number.isSafeInteger(timestamp) ? (timestamp as number) : -1,
    typeof timestampType === 'string' ? timestampType : 'NO_TIMESTAMP_TYPE',
    rawKey,
    rawValue,
    headers.value,
    keyMetadata instanceof InvalidEventError ? undefined : keyMetadata,
    valueMetadata instanceof InvalidEventError ? undefined : valueMetadata,
  );
  record.rawText = rawText;
  if (headers.problem) record.rawHeadersText = JSON.stringify(fields.headers);
  record.defect = problems[0];
  return record;
}

interface ParsedHeaders {
  readonly value: readonly RawKafkaHeader[] | null;
  readonly problem?: InvalidEventError;
}

/**
 * Header values arrive as arrays of bytes, signed (-128..127, Java's form) or
 * unsigned (0..255); older AWS samples and the Java runtime send a base64 string
 * instead. Anything else is a defect, never silently coerced.
 */
function parseHeaders(input: unknown, path: string): ParsedHeaders {
  if (input === undefined || input === null) return { value: null };
  if (!Array.isArray(input))
    return { value: null, problem: new InvalidEventError(path, `expected an array of {name: bytes} objects, got ${describeJson(input)}`) };
  const headers: RawKafkaHeader[] = new Array(input.length);
  let converted = false;
  for (let i = 0; i < input.length; i++) {
    const header: unknown = input[i];
    if (!isJsonObject(header))
      return { value: null, problem: new InvalidEventError(`${path}[${i}]`, `expected {name: bytes}, got ${describeJson(header)}`) };
    for (const name in header) {
      const bytes = header[name];
      const where = `${path}[${i}][${JSON.stringify(name)}]`;
      if (typeof bytes === 'string') {
        const decoded = decodeBase64(bytes);
        if (!decoded)
          return {
            value: null,
            problem: new InvalidEventError(where, `a header given as a string must be base64 (${bytes.length} characters)`),
          };
        converted = true;
        continue;
      }
      if (!Array.isArray(bytes))
        return { value: null, problem: new InvalidEventError(where, `expected an array of bytes, got ${describeJson(bytes)}`) };
      for (let b = 0; b < bytes.length; b++) {
        const byte: unknown = bytes[b];
        if (!(Number.isInteger(byte) && (byte as number) >= -128 && (byte as number) <= 255)) {
          return {
            value: null,
            problem: new InvalidEventError(`${where}[${b}]`, `expected a byte (-128..255), got ${describeJson(byte)}`),
          };
        }
      }
    }
    headers[i] = header as RawKafkaHeader;
  }
  if (!converted) return { value: headers };
  // Rare: normalise base64 header values to byte arrays, so decoding has one form.
  return {
    value: headers.map((header) => {
      const entry: Record<string, readonly number[]> = {};
      for (const name in header) {
        const bytes: unknown = header[name];
        entry[name] = typeof bytes === 'string' ? [...(decodeBase64(bytes) as Buffer)] : (bytes as readonly number[]);
      }
      return entry;
    }),
  };
}

function schemaMetadata(input: unknown, path: string): SchemaMetadata | InvalidEventError | undefined {
  if (input === undefined || input === null) return undefined;
  if (!isJsonObject(input) || typeof input.dataFormat !== 'string') {
    return new InvalidEventError(path, `expected {dataFormat, schemaId?}, got ${describeJson(input)}`);
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
