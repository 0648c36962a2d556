import { BrokerHarnessError } from './errors.js';

/** How many times a new broker is started when a port picked for it was taken before the JVM bound it. */
export const PORT_ATTEMPTS = 3;

/** True when a broker start failed because one of its listeners' ports was in use when the JVM bound it. */
export function isPortTaken(error: unknown): boolean {
  return error instanceof BrokerHarnessError && error.code === 'BROKER_START' && /Address already in use/i.test(error.message);
}

/**
 * Runs `start` again, up to PORT_ATTEMPTS times in all, while it fails with a taken port and `canRetry` holds.
 * `freePort` binds port 0 and closes it; the JVM binds that port only after the certificate and format steps
 * (10–30 s on a loaded machine), and in that window the kernel may hand the same port to another bind(0).
 */
export async function retryOnTakenPort<T>(start: () => Promise<T>, canRetry: boolean, beforeRetry: (attempt: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!canRetry || attempt >= PORT_ATTEMPTS || !isPortTaken(error)) throw error;
      beforeRetry(attempt + 1);
    }
  }
}
