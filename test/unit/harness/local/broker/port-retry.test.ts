import { describe, expect, it } from 'vitest';
import { BrokerHarnessError } from '../../../../../src/harness/local/broker/errors.js';
import { isPortTaken, PORT_ATTEMPTS, retryOnTakenPort } from '../../../../../src/harness/local/broker/port-retry.js';

const taken = () =>
  new BrokerHarnessError(
    'BROKER_START',
    'The Kafka broker exited (1) before it was ready. Last log lines:\njava.net.BindException: Address already in use',
  );
const otherFailure = () => new BrokerHarnessError('BROKER_START', 'The Kafka broker did not answer within 60000 ms. Last log lines:\n…');

/** A start that fails with the given errors, in order, then answers 'broker'. */
function startFailing(errors: Error[]): { start: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    start: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'broker';
    },
    calls: () => calls,
  };
}

describe('isPortTaken', () => {
  it('recognises a bind failure in a broker start error, and nothing else', () => {
    expect(isPortTaken(taken())).toBe(true);
    expect(isPortTaken(otherFailure())).toBe(false);
    expect(isPortTaken(new BrokerHarnessError('BROKER_JARS', 'Address already in use'))).toBe(false);
    expect(isPortTaken('Address already in use')).toBe(false);
  });
});

describe('retryOnTakenPort', () => {
  it('starts again after a taken port, telling which attempt comes next', async () => {
    const { start, calls } = startFailing([taken()]);
    const attempts: number[] = [];
    await expect(retryOnTakenPort(start, true, (attempt) => attempts.push(attempt))).resolves.toBe('broker');
    expect(calls()).toBe(2);
    expect(attempts).toEqual([2]);
  });

  it('gives up after PORT_ATTEMPTS starts, with the last error', async () => {
    const last = taken();
    const { start, calls } = startFailing([...Array.from({ length: PORT_ATTEMPTS - 1 }, taken), last]);
    await expect(retryOnTakenPort(start, true, () => undefined)).rejects.toBe(last);
    expect(calls()).toBe(PORT_ATTEMPTS);
  });

  it('does not retry when the ports were the caller’s (or a restart’s), nor for any other failure', async () => {
    const fixed = startFailing([taken()]);
    await expect(retryOnTakenPort(fixed.start, false, () => undefined)).rejects.toThrow(/Address already in use/);
    expect(fixed.calls()).toBe(1);
    const other = startFailing([otherFailure()]);
    await expect(retryOnTakenPort(other.start, true, () => undefined)).rejects.toThrow(/did not answer/);
    expect(other.calls()).toBe(1);
  });
});
