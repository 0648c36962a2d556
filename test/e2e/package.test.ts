import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, serverless } from '../support/cli.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

const packageInto = async (stage: string) => {
  const dir = mkdtempSync(join(tmpdir(), `sls-${stage}-`));
  const result = await serverless(['package', '--stage', stage, '--package', dir]);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  return { dir, template };
};
const mappings = (template: Template) => Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
const mappingFor = (template: Template, fn: string) =>
  mappings(template).find((r) => JSON.stringify(r.Properties.FunctionName).includes(`"${fn}LambdaFunction"`))?.Properties ?? {};

describe('serverless package (MSK, default stage)', () => {
  let template: Template;
  let dir: string;
  beforeAll(async () => {
    ({ template, dir } = await packageInto('dev'));
  });

  it('creates one event source mapping per function and topic, with the ESM settings osls lacks filled in', () => {
    expect(mappings(template)).toHaveLength(4);
    const common = {
      EventSourceArn: expect.stringMatching(/^arn:aws:kafka:/),
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
      ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 3 },
    };
    expect(mappingFor(template, 'ValidateOrders')).toMatchObject({
      ...common,
      Topics: ['orders.placed'],
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'validate-orders' },
      DestinationConfig: { OnFailure: { Destination: 'kafka://orders.placed.failed' } },
    });
    expect(mappingFor(template, 'ReserveStock')).toMatchObject({
      ...common,
      Topics: ['orders.validated'],
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 2,
    });
    // The low-latency function keeps its 0 s batching window (osls alone drops a 0).
    expect(mappingFor(template, 'NotifyCustomers')).toMatchObject({
      ...common,
      Topics: ['stock.reserved'],
      MaximumBatchingWindowInSeconds: 0,
    });
    // The Avro topic: Lambda checks records against the Glue registry and hands over the payload.
    expect(mappingFor(template, 'RecordPayments')).toMatchObject({
      ...common,
      Topics: ['payments.avro'],
      AmazonManagedKafkaEventSourceConfig: {
        ConsumerGroupId: 'record-payments',
        SchemaRegistryConfig: {
          SchemaRegistryURI: 'arn:aws:glue:us-east-1:123456789012:registry/example-registry',
          EventRecordFormat: 'SOURCE',
          SchemaValidationConfigs: [{ Attribute: 'VALUE' }],
        },
      },
    });
  });

  it('deploys Node.js 22 on arm64 with the publisher’s auth in the environment', () => {
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Environment: { Variables: { KAFKA_AUTH: 'iam' } },
      });
    }
  });

  it('grants what publishing and discovery need', () => {
    const role = template.Resources.IamRoleLambdaExecution?.Properties as {
      Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: string[] }> } }>;
    };
    const actions = new Set(role.Policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => s.Action)));
    for (const action of [
      'kafka-cluster:Connect',
      'kafka-cluster:DescribeTopic',
      'kafka-cluster:WriteData',
      'kafka-cluster:WriteDataIdempotently',
      'kafka:GetBootstrapBrokers',
      'kafka:DescribeClusterV2',
      'glue:GetRegistry',
      'glue:GetSchemaVersion',
    ]) {
      expect(actions, action).toContain(action);
    }
  });

  it('bundles each function separately, ESM, under the 400 KB budget, without the AWS SDK', () => {
    const sizes: Record<string, number> = {};
    for (const fn of ['validateOrders', 'reserveStock', 'notifyCustomers']) {
      const listing = execFileSync('unzip', ['-l', join(dir, `${fn}.zip`)], { encoding: 'utf8' });
      const bundle = /^\s*(\d+)\s+\S+\s+\S+\s+(functions\/\S+\.mjs)$/m.exec(listing);
      expect(bundle, listing).not.toBeNull();
      sizes[fn] = Number(bundle?.[1]);
      expect(listing).not.toMatch(/node_modules|\.cjs/);
      const code = execFileSync('unzip', ['-p', join(dir, `${fn}.zip`), bundle?.[2] ?? ''], { maxBuffer: 16 << 20 }).toString('utf8');
      expect(code).not.toMatch(/@aws-sdk\/client-kafka[^"']*["'];?\s*$/m);
    }
    process.stderr.write(`[e2e] bundle sizes (bytes, minified): ${JSON.stringify(sizes)}\n`);
    for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(400 * 1024);
  });

  it('bundles the Avro function with avsc’s types-only build (loaded at the first record), under 450 KB', () => {
    const listing = execFileSync('unzip', ['-l', join(dir, 'recordPayments.zip')], { encoding: 'utf8' });
    const bundle = /^\s*(\d+)\s+\S+\s+\S+\s+(functions\/record-payments\.mjs)$/m.exec(listing);
    expect(Number(bundle?.[1])).toBeLessThanOrEqual(450 * 1024);
    const code = execFileSync('unzip', ['-p', join(dir, 'recordPayments.zip'), 'functions/record-payments.mjs'], {
      maxBuffer: 16 << 20,
    }).toString('utf8');
    // avsc's Type is in (createResolver), its file and RPC code is not (createFileDecoder, discoverProtocol).
    expect(/createResolver/.test(code)).toBe(true);
    expect(/createFileDecoder|discoverProtocol/.test(code)).toBe(false);
  });
});

describe('serverless package (self-managed Kafka stage)', () => {
  it('binds the same functions through kafka events with SCRAM access and the same error controls', async () => {
    const { template } = await packageInto('selfmanaged');
    expect(mappings(template)).toHaveLength(4);
    expect(mappingFor(template, 'RecordPayments')).toMatchObject({
      SelfManagedKafkaEventSourceConfig: {
        SchemaRegistryConfig: {
          SchemaRegistryURI: 'https://schema-registry.example.internal',
          EventRecordFormat: 'SOURCE',
          AccessConfigs: [{ Type: 'BASIC_AUTH', URI: expect.stringMatching(/^arn:aws:secretsmanager:/) }],
        },
      },
    });
    expect(mappingFor(template, 'ValidateOrders')).toMatchObject({
      SelfManagedEventSource: { Endpoints: { KafkaBootstrapServers: [expect.any(String)] } },
      SourceAccessConfigurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: expect.stringMatching(/^arn:aws:secretsmanager:/) }],
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: 'kafka://orders.placed.failed' } },
    });
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn?.Properties).toMatchObject({ Environment: { Variables: { KAFKA_AUTH: 'scram-sha-512' } } });
  });
});

describe('the ESM settings plugin', () => {
  it('refuses error controls without provisioned mode, naming the function and topic', async () => {
    const result = await serverless(['package', '--package', mkdtempSync(join(tmpdir(), 'sls-bad-'))], {
      cwd: join(ROOT, 'test/e2e/fixtures/no-pollers'),
    });
    expect(result.code).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(
      /consume \/ orders\.placed sets functionResponseTypes, bisectBatchOnFunctionError.*provisioned mode/s,
    );
  });

  it('refuses SASL credentials with a plaintext publisher before building anything', async () => {
    const packageDir = mkdtempSync(join(tmpdir(), 'sls-sasl-'));
    const result = await serverless(['package', '--package', packageDir], { cwd: join(ROOT, 'test/e2e/fixtures/sasl-plaintext') });
    expect(result.code).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/consume sets KAFKA_SASL_SECRET_ARN with KAFKA_AUTH=plaintext/);
    expect(existsSync(join(packageDir, 'cloudformation-template-update-stack.json'))).toBe(false);
  });
});
