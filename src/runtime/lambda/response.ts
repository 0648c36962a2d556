import type { KafkaRouterFailure } from '../errors/index.js';

/** One entry of Lambda's Kafka partial batch response. */
export interface KafkaBatchItemFailure {
  readonly itemIdentifier: { readonly partition: string; readonly offset: number };
}

/** Lambda's Kafka partial batch response: `{"batchItemFailures":[{"itemIdentifier":{"partition":"<topic>-<partition>","offset":<n>}}]}`. */
export interface KafkaBatchResponse {
  readonly batchItemFailures: KafkaBatchItemFailure[];
}

/**
 * The first failed offset of each failed lane. Lambda retries from there, so
 * the lane's later records are retried too and order is kept. An empty list
 * means the whole batch succeeded.
 */
export function toBatchResponse(failures: readonly KafkaRouterFailure[]): KafkaBatchResponse {
  return {
    batchItemFailures: failures.map(({ lane, at }) => ({ itemIdentifier: { partition: lane, offset: at.offset } })),
  };
}
