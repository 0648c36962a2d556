import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, serverless } from '../support/cli.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

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

  it('refuses a schema registry without provisioned mode, as AWS does', async () => {
    const { code, output } = await packageFixture('registry-no-pollers');
    expect(code).not.toBe(0);
    expect(output).toMatch(
      /consume \/ orders\.avro sets schemaRegistry, which Lambda supports only in provisioned mode: add provisionedPollerConfig/,
    );
  });
});
