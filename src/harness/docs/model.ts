import type { Router } from '../../runtime/router/router.js';

/** How a client authenticates to a cluster (the event source mapping's or the publisher's). */
export type AuthMechanism = 'iam' | 'scram-sha-512' | 'scram-sha-256' | 'sasl-plain' | 'mtls' | 'tls' | 'plaintext';

/** A Kafka cluster the service talks to: an MSK cluster by ARN, or self-managed bootstrap servers. */
export type ClusterModel =
  | { readonly kind: 'msk'; readonly clusterArn: string }
  | { readonly kind: 'kafka'; readonly bootstrapServers: readonly string[] };

/** One event source mapping (one `msk`/`kafka` event of a function), its settings as `serverless print` resolves them. */
export interface EventSourceModel {
  readonly kind: 'msk' | 'kafka';
  readonly topic: string;
  readonly cluster: ClusterModel;
  /** How Lambda's pollers authenticate to the cluster. */
  readonly auth: AuthMechanism;
  readonly consumerGroupId?: string;
  /** The settings of the mapping that shape delivery and failure handling (batch size, window, retries…), by their serverless.yml names. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** A Lambda function of the service with its triggers and the router its handler was built from. */
export interface FunctionModel {
  /** The function's key in serverless.yml (`validateOrders`). */
  readonly name: string;
  readonly handler: string;
  readonly eventSources: readonly EventSourceModel[];
  /** Undefined when the handler was not made by createKafkaHandler (then only its triggers are known). */
  readonly router: Router | undefined;
  /** `KAFKA_AUTH` of the function (its environment over the provider's): how its publisher connects. */
  readonly publisherAuth: AuthMechanism;
}

/** Everything the docs are generated from: serverless.yml, resolved for one stage, plus each function's routes. */
export interface ServiceModel {
  readonly service: string;
  readonly stage: string;
  /** The project's package.json version, for `info.version`. */
  readonly version: string;
  readonly functions: readonly FunctionModel[];
}
