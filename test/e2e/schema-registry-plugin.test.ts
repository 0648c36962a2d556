import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCollecting } from '../../src/harness/local/broker/run-collecting.js';
import { loadServerlessFunctions } from '../../src/harness/local/emulator/serverless-config.js';
import { ROOT, serverless } from '../support/cli.js';
import { ensureVenv } from '../support/python.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

/** cfn-lint (pinned, installed into .cache/venv-cfn-lint on first use): ok when it exits with no error (0, or only warning/info bits 4 and 8). */
async function cfnLint(template: Template): Promise<{ ok: boolean; output: string }> {
  const python = await ensureVenv(join(ROOT, '.cache/venv-cfn-lint'), join(ROOT, 'test/e2e/cfn-lint/requirements.txt'));
  const file = join(mkdtempSync(join(tmpdir(), 'cfn-lint-')), 'template.json');
  writeFileSync(file, JSON.stringify(template));
  const run = await runCollecting(join(dirname(python), 'cfn-lint'), [file]);
  return { ok: (run.code & ~(4 | 8)) === 0, output: run.output };
}

async function packageFixture(name: string): Promise<{ code: number | null; output: string; template?: Template }> {
  const dir = mkdtempSync(join(tmpdir(), `sls-${name}-`));
  const result = await serverless(['package', '--package', dir], { cwd: join(ROOT, 'test/e2e/fixtures', name) });
  const output = `${result.stdout}${result.stderr}`;
  if (result.code !== 0) return { code: result.code, output };
  return {
    code: 0,
    output,
    template: JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template,
  };
}

const mappingFor = (template: Template, fn: string) =>
  Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties.FunctionName).includes(`"${fn}LambdaFunction"`),
  )?.Properties ?? {};

// Names from CloudFormation's AWS::Lambda::EventSourceMapping SchemaRegistryConfig reference.
describe('schemaRegistry on msk/kafka events (ESM settings plugin, real osls)', () => {
  it('writes SchemaRegistryConfig into the mapping and gives the role Glue and secret access', async () => {
    const { code, output, template } = await packageFixture('schema-registry');
    expect(code, output).toBe(0);
    const glue = mappingFor(template as Template, 'GlueOrders');
    expect(glue.AmazonManagedKafkaEventSourceConfig).toEqual({
      SchemaRegistryConfig: {
        SchemaRegistryURI: 'arn:aws:glue:us-east-1:123456789012:registry/orders',
        EventRecordFormat: 'SOURCE',
        SchemaValidationConfigs: [{ Attribute: 'VALUE' }],
      },
    });
    const confluent = mappingFor(template as Template, 'ConfluentPayments');
    expect(confluent.SelfManagedKafkaEventSourceConfig).toMatchObject({
      SchemaRegistryConfig: {
        SchemaRegistryURI: 'https://registry.example.internal',
        EventRecordFormat: 'JSON',
        AccessConfigs: [{ Type: 'BASIC_AUTH', URI: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:registry' }],
        SchemaValidationConfigs: [{ Attribute: 'KEY' }, { Attribute: 'VALUE' }],
      },
    });
    const role = (template as Template).Resources.IamRoleLambdaExecution as Resource;
    const statements = JSON.stringify(role.Properties.Policies);
    expect(statements).toContain(
      JSON.stringify({
        Effect: 'Allow',
        Action: ['glue:GetRegistry', 'glue:GetSchemaVersion'],
        Resource: ['arn:aws:glue:us-east-1:123456789012:registry/orders', 'arn:aws:glue:us-east-1:123456789012:schema/orders/*'],
      }),
    );
    expect(statements).toContain('"arn:aws:secretsmanager:us-east-1:123456789012:secret:registry"');
  });

  it('cfn-lint finds no error in the packaged template, and does find one in a broken SchemaRegistryConfig', async () => {
    const { template } = await packageFixture('schema-registry');
    const linted = await cfnLint(template as Template);
    expect(linted.ok, linted.output).toBe(true);
    const broken = JSON.parse(JSON.stringify(template)) as Template;
    const mapping = Object.values(broken.Resources).find((r) => r.Properties.AmazonManagedKafkaEventSourceConfig) as Resource;
    (
      mapping.Properties.AmazonManagedKafkaEventSourceConfig as { SchemaRegistryConfig: Record<string, unknown> }
    ).SchemaRegistryConfig.EventRecordFormat = 'XML';
    const refused = await cfnLint(broken);
    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(/E3030 'XML' is not one of \['JSON', 'SOURCE'\]/);
  });

  it('the local emulator reads the same block (through serverless print)', async () => {
    const functions = await loadServerlessFunctions({ cwd: join(ROOT, 'test/e2e/fixtures/schema-registry') });
    expect(functions.find((f) => f.name === 'confluentPayments')?.eventSources[0]?.schemaRegistry).toEqual({
      uri: 'https://registry.example.internal',
      eventRecordFormat: 'JSON',
      attributes: ['KEY', 'VALUE'],
    });
    expect(functions.find((f) => f.name === 'glueOrders')?.eventSources[0]?.schemaRegistry?.eventRecordFormat).toBe('SOURCE');
  });

  it('refuses a schema registry without provisioned mode, as AWS does', async () => {
    const { code, output } = await packageFixture('registry-no-pollers');
    expect(code).not.toBe(0);
    expect(output).toMatch(
      /consume \/ orders\.avro sets schemaRegistry, which Lambda supports only in provisioned mode: add provisionedPollerConfig/,
    );
  });
});
