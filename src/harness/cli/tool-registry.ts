import type { SchemaRegistry } from '../../runtime/codec/registry.js';

/**
 * The Confluent-compatible registry a tool frames with or reads through: `--registry <url>`, else
 * `SCHEMA_REGISTRY_URL` with the credentials the runtime reads from the environment; undefined when neither is set.
 */
export async function toolRegistry(url: string | undefined): Promise<SchemaRegistry | undefined> {
  const chosen = url ?? process.env.SCHEMA_REGISTRY_URL;
  if (!chosen) return undefined;
  const { confluentRegistryFromEnv } = await import('../../runtime/registry/from-env.js');
  return confluentRegistryFromEnv({ ...process.env, SCHEMA_REGISTRY_URL: chosen });
}
