/** Why the local Kafka harness could not give you a broker. */
export type BrokerErrorCode = 'BROKER_PREREQUISITE' | 'BROKER_JARS' | 'BROKER_START';

/** A local broker could not be provided; `code` says which step failed. */
export class BrokerHarnessError extends Error {
  override readonly name = 'BrokerHarnessError';
  readonly code: BrokerErrorCode;

  constructor(code: BrokerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
