import type { RegisteredSchema, SchemaRegistry } from '../../src/runtime/codec/registry.js';
import { RegistryUnavailableError, SchemaNotFoundError } from '../../src/runtime/errors/index.js';

/** An in-memory SchemaRegistry for codec unit tests (the real clients have their own tests). Counts lookups per id. */
export function memoryRegistry(
  kind: 'confluent' | 'glue',
  schemas: Record<string, RegisteredSchema>,
): SchemaRegistry & { calls: Map<string, number>; down: boolean } {
  const calls = new Map<string, number>();
  const registry = {
    kind,
    description: `memory ${kind} registry`,
    calls,
    down: false,
    async schemaById(id: string): Promise<RegisteredSchema> {
      calls.set(id, (calls.get(id) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (registry.down) throw new RegistryUnavailableError('memory registry is down');
      const schema = schemas[id];
      if (!schema) throw new SchemaNotFoundError(id, registry.description);
      return schema;
    },
  };
  return registry;
}
