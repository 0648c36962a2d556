import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { PublishError } from '../../../../src/runtime/errors/index.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { bootstrapBrokersFromMsk, clearDiscoveryCache } from '../../../../src/runtime/publish/discovery.js';
import { createKafkaPublisher } from '../../../../src/runtime/publish/kafka.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { startAwsStandIn, useTestCredentials } from '../../../support/aws-stand-in.js';
import { setEnv } from '../../../support/env.js';
import { consume, createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { lambdaContext } from '../../../support/lambda.js';

const CLUSTER_ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/abcd-1234';
let restoreCredentials: () => void;
beforeAll(() => {
  restoreCredentials = useTestCredentials();
});
afterAll(() => restoreCredentials());

describe('broker discovery with GetBootstrapBrokers (real @aws-sdk/client-kafka, local endpoint)', () => {
  it('signs the request, asks for the cluster, and picks the string for the auth mechanism', async () => {
    const standIn = await startAwsStandIn({
      bootstrapBrokers: {
        bootstrapBrokerString: 'b-1:9092,b-2:9092',
        bootstrapBrokerStringSaslIam: 'b-1:9098,b-2:9098',
        bootstrapBrokerStringTls: 'b-1:9094',
      },
    });
    try {
      expect(await bootstrapBrokersFromMsk(CLUSTER_ARN, 'iam', { endpoint: standIn.endpoint })).toEqual(['b-1:9098', 'b-2:9098']);
      expect(await bootstrapBrokersFromMsk(CLUSTER_ARN, 'plaintext', { endpoint: standIn.endpoint })).toEqual(['b-1:9092', 'b-2:9092']);
      const error = await bootstrapBrokersFromMsk(CLUSTER_ARN, 'scram-sha-512', { endpoint: standIn.endpoint }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PublishError);
      expect(String(error)).toMatch(/no BootstrapBrokerStringSaslScram: is scram-sha-512 enabled/);
      const [first] = standIn.requests;
      expect(first?.method).toBe('GET');
      expect(first?.url).toBe(`/v1/clusters/${encodeURIComponent(CLUSTER_ARN)}/bootstrap-brokers`);
      expect(first?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTEXAMPLE\/\d{8}\/us-east-1\/kafka\/aws4_request/);
    } finally {
      await standIn.close();
    }
  });

  it('lets the publisher find the real broker through the cluster ARN when the event names none', async () => {
    clearDiscoveryCache();
    const standIn = await startAwsStandIn({ bootstrapBrokers: { bootstrapBrokerString: testKafka().brokers.join(',') } });
    const out = uniqueTopic('discovered-out');
    const admin = testKafkaClient().admin();
    await admin.connect();
    await createTopics(admin, [{ topic: out }]);
    await admin.disconnect();
    const restoreEnv = setEnv({ KAFKA_BROKERS: undefined }); // discovery must come from the cluster ARN, not the environment
    const publisher = createKafkaPublisher({ auth: { mechanism: 'plaintext' }, aws: { endpoint: standIn.endpoint }, logger: silentLogger });
    const route = defineRoute({ topic: 'in', publishes: [to(out)], handle: (value: unknown) => value });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    try {
      const event = buildKafkaEvent([{ topic: 'in', value: { found: true } }], { clusterArn: CLUSTER_ARN, bootstrapServers: '' });
      await expect(handler(event, lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
      const received = await consume(testKafkaClient(), [out], (all) => all.length >= 1);
      expect(received.map((m) => m.value?.toString())).toEqual(['{"found":true}']);
      expect(standIn.requests).toHaveLength(1);
    } finally {
      restoreEnv();
      await publisher.close();
      await standIn.close();
    }
  });
});

describe('SCRAM credentials from Secrets Manager (real @aws-sdk/client-secrets-manager, local endpoint)', () => {
  const saslSsl = testKafka().saslSsl;

  it.skipIf(!saslSsl)('reads {username, password} from the secret and publishes over SASL_SSL', async () => {
    const standIn = await startAwsStandIn({
      secretString: JSON.stringify({ username: saslSsl?.user.name, password: saslSsl?.user.password }),
    });
    const out = uniqueTopic('secret-out');
    const admin = testKafkaClient().admin();
    await admin.connect();
    await createTopics(admin, [{ topic: out }]);
    await admin.disconnect();
    const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_test-AbCdEf';
    const publisher = createKafkaPublisher({
      brokers: saslSsl?.brokers ?? [],
      auth: { mechanism: 'scram-sha-512', secretArn, ca: [saslSsl?.caPem ?? ''] },
      aws: { secretsEndpoint: standIn.endpoint },
      logger: silentLogger,
    });
    const route = defineRoute({ topic: 'in', publishes: [to(out)], handle: (value: unknown) => value });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    try {
      await expect(handler(buildKafkaEvent([{ topic: 'in', value: 7 }]), lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
      const received = await consume(testKafkaClient(), [out], (all) => all.length >= 1);
      expect(received.map((m) => m.value?.toString())).toEqual(['7']);
      expect(JSON.parse(standIn.requests[0]?.body ?? '{}')).toEqual({ SecretId: secretArn });
    } finally {
      await publisher.close();
      await standIn.close();
    }
  });

  it('rejects a secret of the wrong shape without echoing its contents', async () => {
    const standIn = await startAwsStandIn({ secretString: 'hunter2-not-json' });
    const publisher = createKafkaPublisher({
      brokers: ['127.0.0.1:1'],
      auth: { mechanism: 'scram-sha-512', secretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:s' },
      aws: { secretsEndpoint: standIn.endpoint },
      logger: silentLogger,
    });
    const route = defineRoute({ topic: 'in', publishes: [to('out')], handle: (value: unknown) => value });
    const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', logger: silentLogger }), { publisher });
    try {
      const error = await handler(buildKafkaEvent([{ topic: 'in', value: 1 }]), lambdaContext()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PublishError);
      expect(String(error)).toMatch(/must be JSON with non-empty "username" and "password"/);
      expect(String(error)).not.toContain('hunter2');
    } finally {
      await standIn.close();
    }
  });
});
