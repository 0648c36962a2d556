import type { EventSourceSettings } from '../emulator/types.js';
import { type LocalRegistry, startLocalRegistry } from './server.js';

/** Functions as the emulator runs them (only their event sources matter here). */
interface WithEventSources {
  readonly eventSources: readonly EventSourceSettings[];
}

/**
 * For `dev` and `demo`: when some event source has a `schemaRegistry` block,
 * starts the local registry and points those sources at it (the URL in
 * serverless.yml names the deployed registry) and sets `SCHEMA_REGISTRY_URL`
 * for code that reads it lazily, until the registry is closed: closing puts the previous value back, so a demo run
 * in a process that lives on (a test worker, an embedding script) leaves no URL of a closed registry behind for the
 * processes it starts later. Without such a block nothing is started.
 */
export async function localRegistryFor<F extends WithEventSources>(
  functions: readonly F[],
  options: { log?: (line: string) => void } = {},
): Promise<{ functions: F[]; registry: LocalRegistry | undefined }> {
  if (!functions.some((fn) => fn.eventSources.some((source) => source.schemaRegistry)))
    return { functions: [...functions], registry: undefined };
  const started = await startLocalRegistry();
  const previous = process.env.SCHEMA_REGISTRY_URL;
  process.env.SCHEMA_REGISTRY_URL = started.url;
  const registry: LocalRegistry = {
    ...started,
    async close() {
      if (process.env.SCHEMA_REGISTRY_URL === started.url) {
        if (previous === undefined) delete process.env.SCHEMA_REGISTRY_URL;
        else process.env.SCHEMA_REGISTRY_URL = previous;
      }
      await started.close();
    },
  };
  options.log?.(`local schema registry on ${registry.url} (event sources with schemaRegistry point at it)`);
  const pointed = functions.map((fn) => ({
    ...fn,
    eventSources: fn.eventSources.map((source) =>
      source.schemaRegistry ? { ...source, schemaRegistry: { ...source.schemaRegistry, uri: registry.url } } : source,
    ),
  }));
  return { functions: pointed, registry };
}
