/** Schema-registry metadata Lambda adds to a record when the ESM has a schema registry. */
export interface SchemaMetadata {
  readonly dataFormat: 'AVRO' | 'PROTOBUF' | 'JSON' | (string & {});
  readonly schemaId?: string;
}

/** One header as Lambda sends it: an object with a single name whose value is the bytes. Names may repeat across entries. */
export type RawKafkaHeader = Readonly<Record<string, readonly number[]>>;

/** A record as Lambda's Kafka event source mapping delivers it (key and value base64, possibly null). */
export interface RawKafkaRecord {
  readonly topic: string;
  /** A number; some older AWS samples send it as a string, which is accepted. */
  readonly partition: number | string;
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME' | (string & {});
  readonly key?: string | null;
  readonly value?: string | null;
  readonly headers?: readonly RawKafkaHeader[];
  readonly keySchemaMetadata?: SchemaMetadata;
  readonly valueSchemaMetadata?: SchemaMetadata;
}

/** The event for an Amazon MSK trigger. */
export interface MskEvent {
  readonly eventSource: 'aws:kafka';
  readonly eventSourceArn: string;
  readonly bootstrapServers: string;
  /** Keyed by `"<topic>-<partition>"`. */
  readonly records: Readonly<Record<string, readonly RawKafkaRecord[]>>;
}

/** The event for a self-managed Apache Kafka trigger (no `eventSourceArn`). */
export interface SelfManagedKafkaEvent {
  readonly eventSource: 'SelfManagedKafka';
  readonly eventSourceArn?: undefined;
  readonly bootstrapServers: string;
  readonly records: Readonly<Record<string, readonly RawKafkaRecord[]>>;
}

/** Any Lambda Kafka event source mapping event. */
export type KafkaEvent = MskEvent | SelfManagedKafkaEvent;
