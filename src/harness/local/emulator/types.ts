import type { Context } from 'aws-lambda';
import type { KafkaEvent } from '../../../runtime/event/types.js';
import type { KafkaBatchResponse } from '../../../runtime/lambda/response.js';
import type { FilterPattern } from '../../filter-criteria/kafka-filter.js';
import type { SchemaRegistrySettings } from './schema-registry-mode.js';

/** What one Lambda event source mapping of a function is configured with (the subset the emulator honours). */
export interface EventSourceSettings {
  readonly topic: string;
  /** `msk` builds `aws:kafka` events; `kafka` builds `SelfManagedKafka` events. */
  readonly kind: 'msk' | 'kafka';
  /** Default 100, as Lambda's. */
  readonly batchSize?: number;
  /** Seconds; default 0.5 (Lambda's default 500 ms). */
  readonly maximumBatchingWindow?: number;
  /** Honoured only for partitions where the consumer group has no committed offset, as on AWS (default TRIM_HORIZON). */
  readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP';
  /** Unix time in seconds, for AT_TIMESTAMP. */
  readonly startingPositionTimestamp?: number;
  /** Lambda's filter criteria (`filterPatterns`): records that match none are committed without an invocation. */
  readonly filterPatterns?: readonly FilterPattern[];
  readonly enabled?: boolean;
  readonly consumerGroupId?: string;
  /** -1 (default) retries forever, as Lambda does. */
  readonly maximumRetryAttempts?: number;
  readonly bisectBatchOnFunctionError?: boolean;
  /** `kafka://topic`: where records go once retries are exhausted. */
  readonly onFailureDestination?: string;
  readonly clusterArn?: string;
  /** A `kafka` (self-managed) event source's bootstrap servers. */
  readonly bootstrapServers?: readonly string[];
  /** Lambda's schema registry support: records are deserialized (or sent to the destination) before the function sees them. */
  readonly schemaRegistry?: SchemaRegistrySettings;
}

/** Calls the function with an event; resolves with its response or rejects with its error. */
export type Invoker = (event: KafkaEvent, context: Context) => Promise<KafkaBatchResponse | undefined>;

/** A function the emulator drives. */
export interface EmulatedFunction {
  readonly name: string;
  readonly invoke: Invoker;
  readonly eventSources: readonly EventSourceSettings[];
  /** Seconds; the remaining time handlers see starts here (default 6, as serverless's default). */
  readonly timeout?: number;
}

/** Per-function counters, as Lambda's metrics would show them. */
export interface FunctionStats {
  invocations: number;
  /** Records delivered, counting redeliveries. */
  records: number;
  /** Records reported failed (partial responses) or in batches that threw. */
  failures: number;
  /** Records delivered again after a failure. */
  redeliveries: number;
  /** Records sent to the on-failure destination after retries ran out. */
  sentToDestination: number;
  /** Records that matched none of the filter criteria: committed, never delivered (Lambda's FilteredOutEventCount). */
  filteredOut: number;
  /** Invocation durations, ms. */
  readonly durationsMs: number[];
}
