import type { JsonSchema } from './json-schema.js';
import type { AuthMechanism, ClusterModel, ServiceModel } from './model.js';
import { compareText } from './order.js';
import { publishes } from './routes.js';

/** The `servers` of the document and how to refer to the server of a cluster and to a security scheme. */
export interface ServersSection {
  readonly servers: Record<string, JsonSchema>;
  readonly securitySchemes: Record<string, JsonSchema>;
  /** Server id of a cluster. */
  serverOf(cluster: ClusterModel): string;
  /** Security requirement (a list of scheme references) for a mechanism; empty when it authenticates no client. */
  securityOf(mechanism: AuthMechanism): JsonSchema[];
}

const SCHEMES: Readonly<Record<AuthMechanism, { readonly id: string; readonly scheme: JsonSchema } | undefined>> = {
  iam: {
    id: 'mskIam',
    scheme: {
      // AsyncAPI has no scheme for AWS IAM: MSK IAM is SASL/OAUTHBEARER carrying a SigV4-signed token, hence oauth2.
      type: 'oauth2',
      description:
        'Amazon MSK IAM access control: SASL/OAUTHBEARER with a SigV4-signed token from the function role (kafka-cluster:Connect and topic/group actions), over TLS',
      flows: {},
      'x-sasl-mechanism': 'OAUTHBEARER',
    },
  },
  'scram-sha-512': {
    id: 'scramSha512',
    scheme: { type: 'scramSha512', description: 'SASL/SCRAM-SHA-512 over TLS, credentials from a Secrets Manager secret' },
  },
  'scram-sha-256': {
    id: 'scramSha256',
    scheme: { type: 'scramSha256', description: 'SASL/SCRAM-SHA-256 over TLS, credentials from a Secrets Manager secret' },
  },
  'sasl-plain': { id: 'saslPlain', scheme: { type: 'plain', description: 'SASL/PLAIN, credentials from a Secrets Manager secret' } },
  mtls: { id: 'mutualTls', scheme: { type: 'X509', description: 'TLS client certificate (mutual TLS)' } },
  tls: undefined,
  plaintext: undefined,
};

/**
 * One server per cluster the functions read or write. An MSK cluster's
 * brokers are only known at run time (GetBootstrapBrokers), so its host is a
 * variable described by the cluster ARN.
 */
export function buildServers(model: ServiceModel): ServersSection {
  const servers: Record<string, JsonSchema> = {};
  const securitySchemes: Record<string, JsonSchema> = {};
  const ids = new Map<string, string>();
  const clusters = new Map<string, { cluster: ClusterModel; mechanisms: Set<AuthMechanism> }>();

  for (const fn of model.functions) {
    for (const source of fn.eventSources) {
      const key = clusterKey(source.cluster);
      const entry = clusters.get(key) ?? { cluster: source.cluster, mechanisms: new Set<AuthMechanism>() };
      entry.mechanisms.add(source.auth);
      // The publisher writes to the cluster the function reads from (the event's bootstrap servers or cluster ARN).
      if (publishes(fn.router)) entry.mechanisms.add(fn.publisherAuth);
      clusters.set(key, entry);
    }
  }

  const securityOf = (mechanism: AuthMechanism): JsonSchema[] => {
    const entry = SCHEMES[mechanism];
    if (!entry) return [];
    securitySchemes[entry.id] = entry.scheme;
    return [{ $ref: `#/components/securitySchemes/${entry.id}` }];
  };

  for (const [key, { cluster, mechanisms }] of [...clusters].sort(([a], [b]) => compareText(a, b))) {
    const id = uniqueId(serverName(cluster), servers);
    ids.set(key, id);
    const sorted = [...mechanisms].sort(compareText);
    const secure = sorted.some((mechanism) => mechanism !== 'plaintext');
    const security = sorted.flatMap(securityOf);
    servers[id] = {
      ...(cluster.kind === 'msk'
        ? {
            host: '{bootstrapBrokers}',
            protocol: secure ? 'kafka-secure' : 'kafka',
            title: `Amazon MSK cluster ${clusterName(cluster.clusterArn)}`,
            description: `Amazon MSK cluster ${cluster.clusterArn}. Its bootstrap brokers are looked up at run time (kafka:GetBootstrapBrokers).`,
            variables: {
              bootstrapBrokers: { description: `Bootstrap brokers of ${cluster.clusterArn}, as GetBootstrapBrokers returns them` },
            },
          }
        : {
            host: cluster.bootstrapServers[0] ?? '{bootstrapServers}',
            protocol: secure ? 'kafka-secure' : 'kafka',
            title: 'Self-managed Kafka',
            description: `Self-managed Apache Kafka, bootstrap servers ${cluster.bootstrapServers.join(', ')}.`,
          }),
      ...(security.length > 0 ? { security } : {}),
      tags: [{ name: `stage:${model.stage}` }],
      'x-aws-lambda-event-source': cluster.kind,
    };
  }

  return {
    servers,
    securitySchemes,
    serverOf: (cluster) => ids.get(clusterKey(cluster)) ?? '',
    securityOf,
  };
}

function clusterKey(cluster: ClusterModel): string {
  return cluster.kind === 'msk' ? `msk:${cluster.clusterArn}` : `kafka:${cluster.bootstrapServers.join(',')}`;
}

/** `arn:aws:kafka:region:account:cluster/<name>/<uuid>` → `<name>`. */
function clusterName(arn: string): string {
  return arn.split(':cluster/')[1]?.split('/')[0] ?? arn;
}

function serverName(cluster: ClusterModel): string {
  const raw = cluster.kind === 'msk' ? clusterName(cluster.clusterArn) : (cluster.bootstrapServers[0]?.split(':')[0] ?? 'kafka');
  return raw.replace(/[^\w.-]+/g, '-');
}

function uniqueId(base: string, taken: Record<string, unknown>): string {
  let id = base;
  for (let n = 2; id in taken; n++) id = `${base}-${n}`;
  return id;
}
