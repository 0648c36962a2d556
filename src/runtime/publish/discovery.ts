import { describeError } from '../errors/format.js';
import { PublishError } from '../errors/index.js';
import type { KafkaAuthMechanism } from './auth.js';

/** Which `GetBootstrapBrokers` field matches each auth mechanism. */
export const BOOTSTRAP_FIELD: Record<KafkaAuthMechanism, string> = {
  plaintext: 'BootstrapBrokerString',
  tls: 'BootstrapBrokerStringTls',
  'scram-sha-512': 'BootstrapBrokerStringSaslScram',
  iam: 'BootstrapBrokerStringSaslIam',
};

/** Where brokers come from, in order of precedence. */
export interface BrokerSources {
  /** Explicit configuration (or `KAFKA_BROKERS`). */
  readonly configured?: readonly string[];
  /** The event's `bootstrapServers`. */
  readonly event?: readonly string[];
  /** The MSK cluster ARN, for `GetBootstrapBrokers`. */
  readonly clusterArn?: string;
}

/** Options for the MSK API call; `endpoint` points the SDK at a local stand-in in tests. */
export interface DiscoveryOptions {
  readonly region?: string;
  readonly endpoint?: string;
}

const discovered = new Map<string, Promise<string[]>>();

/**
 * Brokers from configuration, else the event, else the MSK API (the result is
 * cached for the container's lifetime). The AWS SDK is imported only when the
 * API is actually needed.
 */
export async function resolveBrokers(
  sources: BrokerSources,
  mechanism: KafkaAuthMechanism,
  options: DiscoveryOptions = {},
): Promise<string[]> {
  if (sources.configured?.length) return [...sources.configured];
  if (sources.event?.length) return [...sources.event];
  if (!sources.clusterArn)
    throw new PublishError('No Kafka brokers: set KAFKA_BROKERS, pass brokers, or invoke with an event that names bootstrapServers');
  const cacheKey = `${sources.clusterArn}|${mechanism}|${options.endpoint ?? ''}`;
  let pending = discovered.get(cacheKey);
  if (!pending) {
    pending = bootstrapBrokersFromMsk(sources.clusterArn, mechanism, options);
    discovered.set(cacheKey, pending);
    pending.catch(() => discovered.delete(cacheKey));
  }
  return pending;
}

/** Calls `GetBootstrapBrokers` and picks the string for the auth mechanism. */
export async function bootstrapBrokersFromMsk(
  clusterArn: string,
  mechanism: KafkaAuthMechanism,
  options: DiscoveryOptions = {},
): Promise<string[]> {
  const { KafkaClient, GetBootstrapBrokersCommand } = await import('@aws-sdk/client-kafka');
  const region = options.region ?? clusterArn.split(':')[3];
  const client = new KafkaClient({ ...(region ? { region } : {}), ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
  let response: Record<string, unknown>;
  try {
    response = (await client.send(new GetBootstrapBrokersCommand({ ClusterArn: clusterArn }))) as unknown as Record<string, unknown>;
  } catch (error) {
    throw new PublishError(`GetBootstrapBrokers failed for ${clusterArn}: ${describeError(error)}`, { cause: error });
  }
  const field = BOOTSTRAP_FIELD[mechanism];
  const list = response[field];
  if (typeof list !== 'string' || !list) {
    throw new PublishError(`GetBootstrapBrokers for ${clusterArn} has no ${field}: is ${mechanism} enabled on the cluster?`);
  }
  return list.split(',').filter(Boolean);
}

/** Forgets discovered brokers (tests). */
export function clearDiscoveryCache(): void {
  discovered.clear();
}
