import { InvalidEventError } from '../errors/index.js';
import { InboundRecord } from './record.js';
import type { KafkaEvent, SchemaMetadata } from './types.js';

/** One topic-partition's records, in offset order, as one unit of ordered work. */
export interface Lane {
  /** `"<topic>-<partition>"`: the key Lambda uses and expects back in `batchItemFailures`. */
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly InboundRecord[];
}

/** A validated event: its source, and its records grouped into lanes. */
export interface ParsedKafkaEvent {
  readonly eventSource: KafkaEvent['eventSource'];
  readonly eventSourceArn: string | undefined;
  readonly bootstrapServers: readonly string[];
  readonly lanes: readonly Lane[];
  readonly recordCount: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates the shape of a Lambda Kafka event once and groups its records into lanes.
 * Any structural problem is an {@link InvalidEventError} naming the path, never a TypeError.
 * Content (base64, JSON, schema) is checked later, per record, so one bad record
 * cannot hide the others.
 */
export function parseKafkaEvent(input: unknown): ParsedKafkaEvent {
  if (!isObject(input)) throw new InvalidEventError('$', `expected an object, got ${describe(input)}`);
  const { eventSource, eventSourceArn, bootstrapServers, records } = input;
  if (eventSource !== 'aws:kafka' && eventSource !== 'SelfManagedKafka') {
    throw new InvalidEventError('$.eventSource', `expected "aws:kafka" or "SelfManagedKafka", got ${describe(eventSource)}`);
  }
  if (eventSource === 'aws:kafka' && typeof eventSourceArn !== 'string') {
    throw new InvalidEventError('$.eventSourceArn', `an MSK event needs the cluster ARN, got ${describe(eventSourceArn)}`);
  }
  if (bootstrapServers !== undefined && typeof bootstrapServers !== 'string') {
    throw new InvalidEventError('$.bootstrapServers', `expected a comma-separated string, got ${describe(bootstrapServers)}`);
  }
  if (!isObject(records))
    throw new InvalidEventError('$.records', `expected an object keyed by "<topic>-<partition>", got ${describe(records)}`);

  const lanes: Lane[] = [];
  let recordCount = 0;
  for (const id of Object.keys(records)) {
    const list = records[id];
    const lanePath = `$.records[${JSON.stringify(id)}]`;
    if (!Array.isArray(list)) throw new InvalidEventError(lanePath, `expected an array of records, got ${describe(list)}`);
    if (list.length === 0) continue;
    const parsed: InboundRecord[] = new Array(list.length);
    let previousOffset = -1;
    for (let i = 0; i < list.length; i++) {
      const record = parseRecord(list[i], `${lanePath}[${i}]`, id);
      if (record.offset <= previousOffset) {
        throw new InvalidEventError(
          `${lanePath}[${i}].offset`,
          `offsets must increase within a partition (${record.offset} after ${previousOffset})`,
        );
      }
      previousOffset = record.offset;
      parsed[i] = record;
    }
    const first = parsed[0] as InboundRecord;
    lanes.push({ id, topic: first.topic, partition: first.partition, records: parsed });
    recordCount += parsed.length;
  }
  return {
    eventSource,
    eventSourceArn: typeof eventSourceArn === 'string' ? eventSourceArn : undefined,
    bootstrapServers: typeof bootstrapServers === 'string' ? bootstrapServers.split(',').filter(Boolean) : [],
    lanes,
    recordCount,
  };
}

function parseRecord(input: unknown, path: string, laneId: string): InboundRecord {
  if (!isObject(input)) throw new InvalidEventError(path, `expected a record object, got ${describe(input)}`);
  const { topic, partition, offset, timestamp, timestampType, key, value, headers } = input;
  if (typeof topic !== 'string' || topic === '')
    throw new InvalidEventError(`${path}.topic`, `expected a topic name, got ${describe(topic)}`);
  const partitionNumber = typeof partition === 'string' && /^\d+$/.test(partition) ? Number(partition) : partition;
  if (!Number.isSafeInteger(partitionNumber) || (partitionNumber as number) < 0) {
    throw new InvalidEventError(`${path}.partition`, `expected a partition number, got ${describe(partition)}`);
  }
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) {
    throw new InvalidEventError(`${path}.offset`, `expected a non-negative integer offset, got ${describe(offset)}`);
  }
  if (typeof timestamp !== 'number')
    throw new InvalidEventError(`${path}.timestamp`, `expected epoch milliseconds, got ${describe(timestamp)}`);
  if (typeof timestampType !== 'string')
    throw new InvalidEventError(`${path}.timestampType`, `expected a string, got ${describe(timestampType)}`);
  if (key !== undefined && key !== null && typeof key !== 'string') {
    throw new InvalidEventError(`${path}.key`, `expected a base64 string or null, got ${describe(key)}`);
  }
  if (value !== undefined && value !== null && typeof value !== 'string') {
    throw new InvalidEventError(`${path}.value`, `expected a base64 string or null, got ${describe(value)}`);
  }
  if (headers !== undefined && headers !== null) checkHeaders(headers, `${path}.headers`);
  if (`${topic}-${partitionNumber}` !== laneId) {
    throw new InvalidEventError(path, `a record of ${topic}-${partitionNumber} is filed under "${laneId}"`);
  }
  return new InboundRecord(
    topic,
    partitionNumber as number,
    offset as number,
    timestamp,
    timestampType,
    (key as string | null | undefined) ?? null,
    (value as string | null | undefined) ?? null,
    (headers as InboundRecord['rawHeaders'] | null | undefined) ?? null,
    schemaMetadata(input.keySchemaMetadata, `${path}.keySchemaMetadata`),
    schemaMetadata(input.valueSchemaMetadata, `${path}.valueSchemaMetadata`),
  );
}

function checkHeaders(headers: unknown, path: string): void {
  if (!Array.isArray(headers)) throw new InvalidEventError(path, `expected an array of {name: bytes} objects, got ${describe(headers)}`);
  for (let i = 0; i < headers.length; i++) {
    const header: unknown = headers[i];
    if (!isObject(header)) throw new InvalidEventError(`${path}[${i}]`, `expected {name: bytes}, got ${describe(header)}`);
    for (const name in header) {
      const bytes = header[name];
      if (!Array.isArray(bytes)) throw new InvalidEventError(`${path}[${i}].${name}`, `expected an array of bytes, got ${describe(bytes)}`);
    }
  }
}

function schemaMetadata(input: unknown, path: string): SchemaMetadata | undefined {
  if (input === undefined || input === null) return undefined;
  if (!isObject(input) || typeof input.dataFormat !== 'string') {
    throw new InvalidEventError(path, `expected {dataFormat, schemaId?}, got ${describe(input)}`);
  }
  return typeof input.schemaId === 'string' ? { dataFormat: input.dataFormat, schemaId: input.schemaId } : { dataFormat: input.dataFormat };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string "${value.slice(0, 40)}…"` : `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : (typeof value as string);
}
