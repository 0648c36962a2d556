import type { SchemaRegistry } from '../../runtime/codec/registry.js';
import type { Codec } from '../../runtime/event/codec.js';
import type { ServiceRoutes, TopicRoles } from '../local/codecs/service-routes.js';
import { CliError } from './errors.js';
import { locateService } from './service.js';

/** Options the reading commands share for finding the routes around a topic. */
export interface ServiceOptions {
  readonly config?: string;
  readonly stage?: string;
}

/**
 * The service's routes, so a topic's records decode through the codecs that write and read it; undefined when the
 * command runs outside a service (then values are shown as JSON, text or bytes). An explicit --config must exist.
 */
export async function loadServiceRoutes(options: ServiceOptions): Promise<ServiceRoutes | undefined> {
  let service: ReturnType<typeof locateService>;
  try {
    service = locateService(options);
  } catch (error) {
    if (options.config === undefined && error instanceof CliError && error.code === 'CONFIG') return undefined;
    throw error;
  }
  const [{ loadLocalFunctions }, { serviceRoutes }] = await Promise.all([
    import('../local/emulator/functions.js'),
    import('../local/codecs/service-routes.js'),
  ]);
  return serviceRoutes(await loadLocalFunctions(service));
}

/** The roles of `topic` in the service, if there is one. */
export async function topicRoles(topic: string, options: ServiceOptions): Promise<TopicRoles | undefined> {
  return (await loadServiceRoutes(options))?.roles(topic);
}

/** The codec names `--codec` accepts. */
export const CODEC_NAMES = ['json', 'text', 'bytes', 'avro', 'protobuf', 'json-schema'] as const;

/** `--codec <name>`: a plain codec, or a schema codec that reads every schema from the registry. */
export async function explicitCodec(name: string, registry: SchemaRegistry | undefined): Promise<Codec<unknown>> {
  const { json, text, bytes } = await import('../../runtime/event/codec.js');
  if (name === 'json') return json;
  if (name === 'text') return text as Codec<unknown>;
  if (name === 'bytes') return bytes as Codec<unknown>;
  if (!(CODEC_NAMES as readonly string[]).includes(name))
    throw new CliError('USAGE', `--codec ${name}: expected one of ${CODEC_NAMES.join(', ')}`);
  if (!registry)
    throw new CliError('USAGE', `--codec ${name} reads schemas from a registry: pass --registry <url> or set SCHEMA_REGISTRY_URL`);
  if (name === 'avro') return (await import('../../runtime/codec/avro.js')).avro({ registry });
  if (name === 'protobuf') return (await import('../../runtime/codec/protobuf.js')).protobuf({ registry }) as Codec<unknown>;
  return (await import('../../runtime/codec/json-schema.js')).jsonSchema({ registry });
}

/** Parses `--partition <n>` lists (`0`, `0,2`). */
export function partitionList(value: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part)))
    throw new CliError('USAGE', `--partition ${value}: expected partition numbers, such as 0 or 0,2`);
  return parts.map(Number);
}
