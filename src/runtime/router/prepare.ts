import { describeError } from '../errors/format.js';
import { RegistryUnavailableError } from '../errors/index.js';
import type { PublisherSpec } from './publishers.js';

/**
 * Readies the route's publisher codecs once (a registry lookup or registration
 * per subject), so encoding in handlers stays synchronous. Returns undefined
 * once ready. A failure is not the input record's fault (a registry outage, a
 * schema not registered while auto-registration is off): it is reported as
 * RegistryUnavailableError, so the lane fails and Lambda redelivers instead of
 * dead-lettering, and it is tried again on the next record.
 */
export function publisherPreparation(publishers: readonly PublisherSpec[]): () => Promise<void> | undefined {
  const codecs = publishers.filter((spec) => spec.codec?.prepare);
  if (codecs.length === 0) return () => undefined;
  let state: 'ready' | Promise<void> | undefined;
  return () => {
    if (state === 'ready') return undefined;
    state ??= Promise.all(
      codecs.map((spec) =>
        spec.codec?.prepare?.({ topic: spec.topic, part: 'value' }).catch((error: unknown) => {
          if (error instanceof RegistryUnavailableError) throw error;
          throw new RegistryUnavailableError(`Cannot publish to '${spec.topic}' yet: ${describeError(error)}`, { cause: error });
        }),
      ),
    ).then(
      () => {
        state = 'ready';
      },
      (error: unknown) => {
        state = undefined;
        throw error;
      },
    );
    return state;
  };
}
