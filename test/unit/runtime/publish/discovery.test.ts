import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PublishError } from '../../../../src/runtime/errors/index.js';
import {
  BOOTSTRAP_FIELD,
  bootstrapBrokersFromMsk,
  clearDiscoveryCache,
  resolveBrokers,
} from '../../../../src/runtime/publish/discovery.js';
import { startAwsStandIn, useTestCredentials } from '../../../support/aws-stand-in.js';

// The real @aws-sdk/client-kafka against a local HTTP stand-in: no broker, no network beyond 127.0.0.1.
const CLUSTER_ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/demo/abcd-1234';
const ANSWERS = {
  bootstrapBrokers: {
    bootstrapBrokerString: 'b-1:9092,b-2:9092',
    bootstrapBrokerStringTls: 'b-1:9094,b-2:9094',
    bootstrapBrokerStringSaslScram: 'b-1:9096',
    bootstrapBrokerStringSaslIam: 'b-1:9098,,b-2:9098',
  },
};

let restoreCredentials: () => void;
beforeAll(() => {
  restoreCredentials = useTestCredentials();
});
afterAll(() => restoreCredentials());
afterEach(() => clearDiscoveryCache());

describe('resolveBrokers', () => {
  it('prefers configured brokers, then the event’s, and asks nothing of MSK for either', async () => {
    const configured = ['c:9092'];
    const fromConfig = await resolveBrokers({ configured, event: ['e:9092'], clusterArn: CLUSTER_ARN }, 'iam');
    expect(fromConfig).toEqual(['c:9092']);
    expect(fromConfig).not.toBe(configured);
    expect(await resolveBrokers({ configured: [], event: ['e:9092'], clusterArn: CLUSTER_ARN }, 'iam')).toEqual(['e:9092']);
  });

  it('says where brokers can come from when there is none', async () => {
    const error = await resolveBrokers({ configured: [], event: [] }, 'plaintext').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect((error as Error).message).toBe(
      'No Kafka brokers: set KAFKA_BROKERS, pass brokers, or invoke with an event that names bootstrapServers',
    );
  });

  it('asks MSK once per cluster, mechanism and endpoint for the container’s life, and again after a failure', async () => {
    const down = await startAwsStandIn({});
    const standIn = await startAwsStandIn(ANSWERS);
    try {
      await expect(resolveBrokers({ clusterArn: CLUSTER_ARN }, 'iam', { endpoint: down.endpoint })).rejects.toBeInstanceOf(PublishError);
      await expect(resolveBrokers({ clusterArn: CLUSTER_ARN }, 'iam', { endpoint: down.endpoint })).rejects.toBeInstanceOf(PublishError);
      expect(down.requests).toHaveLength(2);

      const sources = { clusterArn: CLUSTER_ARN };
      expect(await resolveBrokers(sources, 'iam', { endpoint: standIn.endpoint })).toEqual(['b-1:9098', 'b-2:9098']);
      expect(await resolveBrokers(sources, 'iam', { endpoint: standIn.endpoint })).toEqual(['b-1:9098', 'b-2:9098']);
      expect(standIn.requests).toHaveLength(1);
      expect(await resolveBrokers(sources, 'tls', { endpoint: standIn.endpoint })).toEqual(['b-1:9094', 'b-2:9094']);
      expect(standIn.requests).toHaveLength(2);
      clearDiscoveryCache();
      await resolveBrokers(sources, 'iam', { endpoint: standIn.endpoint });
      expect(standIn.requests).toHaveLength(3);
    } finally {
      await down.close();
      await standIn.close();
    }
  });

  it('keeps one endpoint’s answer from another’s (same cluster and mechanism)', async () => {
    const first = await startAwsStandIn(ANSWERS);
    const second = await startAwsStandIn({ bootstrapBrokers: { bootstrapBrokerStringSaslIam: 'other-1:9098' } });
    try {
      const sources = { clusterArn: CLUSTER_ARN };
      expect(await resolveBrokers(sources, 'iam', { endpoint: first.endpoint })).toEqual(['b-1:9098', 'b-2:9098']);
      expect(await resolveBrokers(sources, 'iam', { endpoint: second.endpoint })).toEqual(['other-1:9098']);
      expect([first.requests.length, second.requests.length]).toEqual([1, 1]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('bootstrapBrokersFromMsk', () => {
  it('reads the GetBootstrapBrokers field of each auth mechanism (AWS’s names, as literals)', async () => {
    expect(BOOTSTRAP_FIELD).toEqual({
      plaintext: 'BootstrapBrokerString',
      tls: 'BootstrapBrokerStringTls',
      'scram-sha-512': 'BootstrapBrokerStringSaslScram',
      iam: 'BootstrapBrokerStringSaslIam',
    });
    const standIn = await startAwsStandIn(ANSWERS);
    try {
      const brokers = async (mechanism: keyof typeof BOOTSTRAP_FIELD) =>
        bootstrapBrokersFromMsk(CLUSTER_ARN, mechanism, { endpoint: standIn.endpoint });
      expect(await brokers('plaintext')).toEqual(['b-1:9092', 'b-2:9092']);
      expect(await brokers('scram-sha-512')).toEqual(['b-1:9096']);
    } finally {
      await standIn.close();
    }
  });

  it('signs for the region in the cluster ARN unless told otherwise', async () => {
    const standIn = await startAwsStandIn(ANSWERS);
    try {
      await bootstrapBrokersFromMsk(CLUSTER_ARN, 'iam', { endpoint: standIn.endpoint });
      await bootstrapBrokersFromMsk(CLUSTER_ARN, 'iam', { endpoint: standIn.endpoint, region: 'us-west-2' });
      expect(standIn.requests.map((r) => /Credential=[^/]+\/\d{8}\/([^/]+)\/kafka\//.exec(String(r.headers.authorization))?.[1])).toEqual([
        'eu-west-1',
        'us-west-2',
      ]);
      expect(standIn.requests[0]?.url).toBe(`/v1/clusters/${encodeURIComponent(CLUSTER_ARN)}/bootstrap-brokers`);
    } finally {
      await standIn.close();
    }
  });

  it('fails with PublishError naming the cluster when the call fails or lacks the field', async () => {
    const standIn = await startAwsStandIn({
      bootstrapBrokers: { bootstrapBrokerString: 'b-1:9092', bootstrapBrokerStringTls: '', bootstrapBrokerStringSaslScram: 9096 },
    });
    const down = await startAwsStandIn({});
    try {
      const missing = await bootstrapBrokersFromMsk(CLUSTER_ARN, 'iam', { endpoint: standIn.endpoint }).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(PublishError);
      expect((missing as Error).message).toBe(
        `GetBootstrapBrokers for ${CLUSTER_ARN} has no BootstrapBrokerStringSaslIam: is iam enabled on the cluster?`,
      );
      // An empty string is no brokers either.
      const empty = await bootstrapBrokersFromMsk(CLUSTER_ARN, 'tls', { endpoint: standIn.endpoint }).catch((e: unknown) => e);
      expect((empty as Error).message).toBe(
        `GetBootstrapBrokers for ${CLUSTER_ARN} has no BootstrapBrokerStringTls: is tls enabled on the cluster?`,
      );
      // The SDK passes a non-string field through as it is: not a broker list either.
      const notText = await bootstrapBrokersFromMsk(CLUSTER_ARN, 'scram-sha-512', { endpoint: standIn.endpoint }).catch((e: unknown) => e);
      expect(notText).toBeInstanceOf(PublishError);
      expect((notText as Error).message).toBe(
        `GetBootstrapBrokers for ${CLUSTER_ARN} has no BootstrapBrokerStringSaslScram: is scram-sha-512 enabled on the cluster?`,
      );
      const failed = await bootstrapBrokersFromMsk(CLUSTER_ARN, 'plaintext', { endpoint: down.endpoint }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(PublishError);
      expect((failed as Error).message).toMatch(new RegExp(`^GetBootstrapBrokers failed for ${CLUSTER_ARN}: \\w+`));
      expect((failed as PublishError).cause).toBeInstanceOf(Error);
    } finally {
      await standIn.close();
      await down.close();
    }
  });
});
