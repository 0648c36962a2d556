// AWS Glue Schema Registry client: GetSchemaVersion by schema version UUID, through the real SDK client.
import type { GetSchemaVersionCommandOutput } from '@aws-sdk/client-glue';
import type { RegisteredSchema, SchemaFormat, SchemaRegistry } from '../codec/registry.js';
import { describeError } from '../errors/format.js';
import { RegistryUnavailableError, SchemaNotFoundError } from '../errors/index.js';
import { coalescingCache } from './cache.js';

/** Options of {@link glueRegistry}; `endpoint` points the SDK at a local stand-in in tests. */
export interface GlueRegistryOptions {
  readonly region?: string;
  readonly endpoint?: string;
  /** SDK attempts per request (default 3, the SDK's standard retry). */
  readonly maxAttempts?: number;
}

/** A Glue registry client with its request count. */
export interface GlueRegistry extends SchemaRegistry {
  readonly kind: 'glue';
  /** GetSchemaVersion calls sent (each UUID once per container, unless one failed). */
  readonly fetches: number;
}

type GlueModule = typeof import('@aws-sdk/client-glue');

/**
 * A client for AWS Glue Schema Registry: `GetSchemaVersion({SchemaVersionId})`
 * for the UUID in a Glue frame (or Lambda's `schemaId`). The SDK is imported at
 * the first lookup; each UUID is fetched once per container.
 */
export function glueRegistry(options: GlueRegistryOptions = {}): GlueRegistry {
  const description = `AWS Glue Schema Registry${options.region ? ` in ${options.region}` : ''}`;
  let client: Promise<{ sdk: GlueModule; client: InstanceType<GlueModule['GlueClient']> }> | undefined;
  const connect = () => {
    client ??= import('@aws-sdk/client-glue').then((sdk) => ({
      sdk,
      client: new sdk.GlueClient({
        ...(options.region ? { region: options.region } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        maxAttempts: options.maxAttempts ?? 3,
      }),
    }));
    return client;
  };

  const byId = coalescingCache(async (id: string): Promise<RegisteredSchema> => {
    const { sdk, client: glue } = await connect();
    let response: GetSchemaVersionCommandOutput;
    try {
      response = await glue.send(new sdk.GetSchemaVersionCommand({ SchemaVersionId: id }));
    } catch (error) {
      if ((error as { name?: unknown }).name === 'EntityNotFoundException')
        throw new SchemaNotFoundError(id, description, { cause: error });
      // AccessDenied, throttling, network: not the record's fault, so the lane fails and Lambda redelivers.
      throw new RegistryUnavailableError(`${description} could not be asked for schema version ${id} (${describeError(error)})`, {
        cause: error,
      });
    }
    if (!response.SchemaDefinition) throw new SchemaNotFoundError(id, description);
    return { format: formatOf(response.DataFormat), definition: response.SchemaDefinition, references: [] };
  });

  return {
    kind: 'glue',
    description,
    schemaById: (id) => byId.get(id),
    get fetches() {
      return byId.loads;
    },
  };
}

function formatOf(dataFormat: string | undefined): SchemaFormat {
  return dataFormat === 'PROTOBUF' || dataFormat === 'JSON' ? dataFormat : 'AVRO';
}
