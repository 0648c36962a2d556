import { KafkaRouterError } from '../../../runtime/errors/index.js';

/** Why the local Kafka harness could not give you a broker. */
export type BrokerErrorCode = 'BROKER_PREREQUISITE' | 'BROKER_JARS' | 'BROKER_START';

/** A local broker could not be provided; `code` says which step failed. Permanent: retrying the same setup fails the same way. */
export class BrokerHarnessError extends KafkaRouterError {
  override name = 'BrokerHarnessError';
  declare readonly code: BrokerErrorCode;

  constructor(code: BrokerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { permanent: true, cause: options.cause });
  }
}
