import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerlessFunctions } from '../../src/harness/local/emulator/serverless-config.js';
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

// Names from CloudFormation's AWS::Lambda::EventSourceMapping: FilterCriteria.Filters[].Pattern is a JSON string.
describe('filterPatterns and starting positions on msk/kafka events (real osls, ESM settings plugin)', () => {
  it('packages FilterCriteria (one JSON pattern per filter) and the starting position', async () => {
    const { code, output, template } = await packageFixture('filter-criteria');
    expect(code, output).toBe(0);
    const msk = mappingFor(template as Template, 'EurOrders');
    expect(msk).toMatchObject({ StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: 1764756000 });
    const patterns = (msk.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters.map((f) => JSON.parse(f.Pattern));
    expect(patterns).toEqual([
      { value: { currency: ['EUR'], total: [{ numeric: ['>', 0] }] } },
      { value: { priority: [{ exists: true }] } },
    ]);
    const kafka = mappingFor(template as Template, 'NotErrors');
    expect(kafka.FilterCriteria).toEqual({ Filters: [{ Pattern: JSON.stringify({ value: [{ 'anything-but': ['error'] }] }) }] });
    expect(kafka.StartingPosition).toBe('LATEST');
  });

  it('the local emulator reads the same filters and position (through serverless print)', async () => {
    const functions = await loadServerlessFunctions({ cwd: join(ROOT, 'test/e2e/fixtures/filter-criteria') });
    const source = functions.find((f) => f.name === 'eurOrders')?.eventSources[0];
    expect(source).toMatchObject({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1764756000 });
    expect(source?.filterPatterns).toHaveLength(2);
  });

  it('refuses a filter on something other than value, naming the function and topic', async () => {
    const { code, output } = await packageFixture('filter-criteria-refused');
    expect(code).not.toBe(0);
    expect(output).toMatch(
      /consume \/ orders\.placed: Invalid filter filterPatterns\[0\]\.partition: Kafka event source mappings filter only on value/,
    );
  });
});
