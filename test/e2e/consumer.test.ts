import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Parser } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { copyFixture, installTarball, type PackedTarball, packTarball } from '../support/consumer-project.js';
import { spawnCollecting, waitFor } from '../support/run-cli.js';

// What a team with its own serverless service gets from `npm i kafka-lambda-router`: the packed tarball,
// installed offline into a project outside this repository, used through its published entry points only.
// The commands are the README's "Use it in your own service" commands.

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

let tarball: PackedTarball;
let project: string;

/** Runs a command in the consumer project (npx resolves node_modules/.bin; offline, no AWS credentials). */
async function inProject(command: string, args: string[], cwd = project): Promise<{ code: number | null; stdout: string; output: string }> {
  const env: NodeJS.ProcessEnv = {
    npm_config_offline: 'true',
    KAFKA_BROKERS: '',
    LOG_LEVEL: 'warn',
    AWS_ACCESS_KEY_ID: '',
    AWS_PROFILE: '',
  };
  const run = spawnCollecting(command, args, { cwd, env });
  const { code } = await run.exited;
  // vitest colours its summary
  return { code, stdout: stripVTControlCharacters(run.stdout()), output: stripVTControlCharacters(run.output()) };
}

beforeAll(() => {
  tarball = packTarball();
  project = copyFixture(join(ROOT, 'test/e2e/fixtures/consumer'));
  installTarball(project, tarball.file);
});

describe('the npm package, installed into a service of its own', () => {
  it('ships dist/, the sources its maps name (src/), the CLI’s templates, README, LICENSE and CHANGELOG, and nothing from test/ or bench/', () => {
    process.stderr.write(
      `[e2e] ${tarball.file.split('/').pop()}: ${(tarball.size / 1024).toFixed(1)} KB packed, ${(tarball.unpackedSize / 1024).toFixed(1)} KB unpacked, ${tarball.entryCount} files\n`,
    );
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/runtime/index.js',
      'dist/runtime/index.d.ts',
      'dist/runtime/index.js.map',
      'src/runtime/index.ts',
      'dist/runtime/errors/index.d.ts',
      'dist/runtime/router/lineage-compact.d.ts',
      'dist/runtime/codec/avro.js',
      'dist/runtime/registry/index.d.ts',
      'dist/harness/testing/index.d.ts',
      'dist/harness/serverless/plugin.js',
      'dist/harness/cli/main.js',
      'dist/harness/local/broker/pom.xml',
      'templates/service/serverless.yml',
      'templates/service/gitignore',
    ]) {
      expect(tarball.files, file).toContain(file);
    }
    expect(tarball.files.filter((file) => /^(test|bench|functions|events|scripts)\//.test(file))).toEqual([]);
    const published = JSON.parse(readFileSync(join(project, 'node_modules/kafka-lambda-router/package.json'), 'utf8'));
    expect(published.private).toBeUndefined();
    expect(Object.keys(published.exports)).toEqual([
      '.',
      './errors',
      './lineage',
      './avro',
      './protobuf',
      './json-schema',
      './registry',
      './metrics',
      './testing',
      './serverless',
      './package.json',
    ]);
  });

  it('has source maps whose every source is a file it ships, with that file’s text embedded (stack traces name real files)', () => {
    const installed = join(project, 'node_modules/kafka-lambda-router');
    const maps = tarball.files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(100);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(join(installed, map), 'utf8')) as {
        sources: string[];
        sourcesContent?: string[];
      };
      expect(sources, map).toHaveLength(1);
      const source = join(dirname(join(installed, map)), sources[0] as string);
      expect(existsSync(source), `${map} names ${sources[0]}`).toBe(true);
      expect(sourcesContent?.[0], map).toBe(readFileSync(source, 'utf8'));
    }
  });

  it('is what the README’s "Use it in your own service" shows: its files verbatim, and the commands this test runs', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Use it in your own service'),
      readme.indexOf('\n## ', readme.indexOf('## Use it in your own service') + 1),
    );
    for (const file of ['functions/enrich-clicks.ts', 'test/enrich-clicks.test.ts']) {
      expect(section, file).toContain(readFileSync(join(ROOT, 'test/e2e/fixtures/consumer', file), 'utf8').trimEnd());
    }
    for (const command of [
      'npm install kafka-lambda-router zod',
      '  - kafka-lambda-router/serverless',
      'npx tsc --noEmit',
      'npx vitest run',
      'npx kafka-lambda-router events',
      'npx serverless invoke local -f enrichClicks --path events/enrich-clicks.json',
      'npx serverless package',
      'npx kafka-lambda-router init my-service',
    ]) {
      expect(section).toContain(command);
    }
  });

  it('typechecks the service against the published .d.ts (tsc --noEmit, skipLibCheck off)', async () => {
    const { code, output } = await inProject('npx', ['tsc', '--noEmit']);
    expect(code, output).toBe(0);
  });

  it('loads every entry with require() too (CommonJS users, Node’s require(esm))', async () => {
    writeFileSync(
      join(project, 'require-check.cjs'),
      [
        "const runtime = require('kafka-lambda-router');",
        "const errors = require('kafka-lambda-router/errors');",
        "const testing = require('kafka-lambda-router/testing');",
        "const Plugin = require('kafka-lambda-router/serverless').default;",
        'console.log(JSON.stringify([typeof runtime.createRouter, typeof errors.PermanentError, typeof testing.createTestBroker, typeof Plugin]));',
      ].join('\n'),
    );
    const { code, stdout, output } = await inProject(process.execPath, ['require-check.cjs']);
    expect(code, output).toBe(0);
    expect(JSON.parse(stdout)).toEqual(['function', 'function', 'function', 'function']);
  });

  it('writes a sample event from the route’s schema with `npx kafka-lambda-router events`', async () => {
    const { code, stdout, output } = await inProject('npx', ['kafka-lambda-router', 'events', '--json']);
    expect(code, output).toBe(0);
    const [written] = (JSON.parse(stdout) as { events: Array<{ function: string; file: string; topics: Array<Record<string, unknown>> }> })
      .events;
    expect(written).toMatchObject({ function: 'enrichClicks', file: join(project, 'events/enrich-clicks.json') });
    expect(written?.topics).toEqual(
      [{ topic: 'clicks', route: expect.any(String), origin: 'schema', problem: undefined }].map(({ problem, ...t }) => t),
    );
    const event = JSON.parse(readFileSync(join(project, 'events/enrich-clicks.json'), 'utf8'));
    expect(event.eventSource).toBe('SelfManagedKafka');
    expect(event.bootstrapServers).toBe('kafka-1.clicks.internal:9096');
  });

  it('writes a sample event for an Avro route with `npx kafka-lambda-router events` (the codec readied by the tool, not the handler)', async () => {
    const { code, stdout, output } = await inProject('npx', [
      'kafka-lambda-router',
      'events',
      '--function',
      'recordPayments',
      '--force',
      '--json',
    ]);
    expect(code, output).toBe(0);
    const [written] = (JSON.parse(stdout) as { events: Array<{ function: string; file: string; topics: Array<{ topic: string }> }> })
      .events;
    expect(written).toMatchObject({ function: 'recordPayments', file: join(project, 'events/record-payments.json') });
    expect(written?.topics.map((t) => t.topic)).toEqual(['payments']);
    const event = JSON.parse(readFileSync(join(project, 'events/record-payments.json'), 'utf8')) as {
      records: Record<string, Array<{ value: string }>>;
    };
    const [record] = Object.values(event.records).flat();
    // Avro binary, not JSON text: the sample went through the route's own codec.
    const bytes = Buffer.from(record?.value ?? '', 'base64');
    expect(bytes.length).toBeGreaterThan(0);
    expect(() => JSON.parse(bytes.toString('utf8'))).toThrow();
  });

  it('runs the Avro route under `kafka-lambda-router dev`; `produce --route` encodes its input and `consume` decodes its Avro output', async () => {
    const state = mkdtempSync(join(tmpdir(), 'klr-consumer-state-'));
    const env: NodeJS.ProcessEnv = {
      npm_config_offline: 'true',
      KAFKA_BROKERS: '',
      LOG_LEVEL: 'warn',
      KAFKA_LAMBDA_ROUTER_STATE_DIR: state,
    };
    const bin = join(project, 'node_modules/.bin/kafka-lambda-router');
    const dev = spawnCollecting(bin, ['dev', '--json', '--no-watch'], { cwd: project, env });
    const tool = async (args: string[]) => {
      const run = spawnCollecting(bin, args, { cwd: project, env });
      const { code } = await run.exited;
      return { code, stdout: run.stdout(), output: run.output() };
    };
    try {
      await waitFor(() => dev.stdout().includes('"event":"ready"') || dev.child.exitCode !== null, 180_000, 'dev to be ready');
      expect(dev.child.exitCode, dev.output()).toBeNull();
      const produced = await tool(['produce', '--route', 'record-payment', '{"id":"p-1","cents":1250}']);
      expect(produced.code, produced.output).toBe(0);
      let shown: Array<{ value?: unknown }> = [];
      await waitFor(
        async () => {
          const consumed = await tool(['consume', 'payments.recorded', '--max', '1']);
          shown = consumed.stdout
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line) as { value?: unknown });
          return shown.length > 0;
        },
        120_000,
        'the Avro route’s output on payments.recorded',
      );
      expect(shown.map((r) => r.value)).toEqual([{ id: 'p-1', euros: 12.5 }]);
    } finally {
      dev.child.kill('SIGTERM');
      await dev.exited;
    }
  }, 300_000);

  it('documents the service with `npx kafka-lambda-router docs gen`: valid AsyncAPI 3.0 naming its function and topics', async () => {
    const { code, stdout, output } = await inProject('npx', ['kafka-lambda-router', 'docs', 'gen']);
    expect(code, output).toBe(0);
    expect(stdout).toContain('(AsyncAPI 3.0, 5 channels, 5 operations)');
    const { document, diagnostics } = await new Parser().parse(readFileSync(join(project, 'asyncapi.yaml'), 'utf8'));
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.info().title()).toBe('clicks');
    // The fixture's serverless.yml and functions: enrichClicks reading clicks, publishing to clicks.enriched,
    // dead-lettering to clicks.refused; recordPayments reading payments (Avro), publishing to payments.recorded.
    const channels = document
      ?.channels()
      .all()
      .map((c) => c.address())
      .sort();
    expect(channels).toEqual(['clicks', 'clicks.enriched', 'clicks.refused', 'payments', 'payments.recorded']);
    const operations = document
      ?.operations()
      .all()
      .map((o) => [o.id(), o.action(), o.channels().all()[0]?.address(), o.json()['x-aws-lambda-function']])
      .sort();
    expect(operations).toEqual([
      ['enrichClicks.clicks.deadLetter.clicks.refused', 'send', 'clicks.refused', 'enrichClicks'],
      ['enrichClicks.clicks.receive', 'receive', 'clicks', 'enrichClicks'],
      ['enrichClicks.clicks.send.clicks.enriched', 'send', 'clicks.enriched', 'enrichClicks'],
      ['recordPayments.record-payment.receive', 'receive', 'payments', 'recordPayments'],
      ['recordPayments.record-payment.send.payments.recorded', 'send', 'payments.recorded', 'recordPayments'],
    ]);
    expect(
      document
        ?.servers()
        .all()
        .map((s) => s.host()),
    ).toEqual(['kafka-1.clicks.internal:9096']);
    const click = document?.channels().get('clicks')?.messages().all()[0]?.payload();
    expect(Object.keys(click?.properties() ?? {})).toEqual(['sessionId', 'url', 'at']);
  });

  it('packages with serverless: the plugin’s ESM settings, an ESM bundle ≤ 400 KB holding only the runtime', async () => {
    const out = mkdtempSync(join(tmpdir(), 'klr-consumer-package-'));
    const { code, output } = await inProject('npx', ['serverless', 'package', '--package', out]);
    expect(code, output).toBe(0);
    const template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
    const mapping = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties.Topics) === '["clicks"]',
    );
    expect(mapping?.Properties).toMatchObject({
      Topics: ['clicks'],
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      MaximumBatchingWindowInSeconds: 0,
      ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 2 },
    });

    const listing = execFileSync('unzip', ['-l', join(out, 'enrichClicks.zip')], { encoding: 'utf8' });
    const bundle = /^\s*(\d+)\s+\S+\s+\S+\s+(functions\/enrich-clicks\.mjs)$/m.exec(listing);
    expect(bundle, listing).not.toBeNull();
    const bytes = Number(bundle?.[1]);
    process.stderr.write(`[e2e] consumer function bundle (minified ESM): ${(bytes / 1024).toFixed(1)} KB\n`);
    expect(bytes).toBeLessThanOrEqual(400 * 1024);

    // serverless-esbuild's own metafile: every input of the bundle.
    const meta = JSON.parse(readFileSync(join(project, '.esbuild/.build/functions/enrich-clicks-meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    const ours = Object.keys(meta.inputs).filter((input) => input.includes('node_modules/kafka-lambda-router/'));
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.filter((input) => !input.includes('node_modules/kafka-lambda-router/dist/runtime/'))).toEqual([]);
    expect(Object.keys(meta.inputs).filter((input) => /node_modules\/(commander|tsx|vitest|osls)\//.test(input))).toEqual([]);
    // Tracing is the API package only: an OpenTelemetry SDK never reaches a function bundle.
    const inputs = meta.inputs as Record<string, { bytes: number }>;
    expect(Object.keys(inputs).filter((input) => /node_modules\/@opentelemetry\/(?!api\/)/.test(input))).toEqual([]);
    const apiBytes = Object.entries(inputs)
      .filter(([input]) => input.includes('node_modules/@opentelemetry/api/'))
      .reduce((total, [, input]) => total + input.bytes, 0);
    expect(apiBytes).toBeGreaterThan(0);
    process.stderr.write(`[e2e] @opentelemetry/api in the bundle's inputs: ${(apiBytes / 1024).toFixed(1)} KiB before minification\n`);
  });

  it('answers `serverless invoke local` on that event with a partial batch response and a dry-run publish', async () => {
    const { code, stdout, output } = await inProject('npx', [
      'serverless',
      'invoke',
      'local',
      '-f',
      'enrichClicks',
      '--path',
      'events/enrich-clicks.json',
    ]);
    expect(code, output).toBe(0);
    expect(JSON.parse(/\{\s*"batchItemFailures"[\s\S]*\}\s*$/.exec(stdout)?.[0] ?? 'null')).toEqual({ batchItemFailures: [] });
    expect(stdout.match(/output → clicks\.enriched/g)).toHaveLength(3);
  });

  it('runs the service’s own vitest tests with kafka-lambda-router/testing', async () => {
    const { code, output } = await inProject('npx', ['vitest', 'run']);
    expect(code, output).toBe(0);
    expect(output).toMatch(/Tests\s+2 passed/);
  });

  it('scaffolds a service with `kafka-lambda-router init` whose own `npm test` passes', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'klr-init-'));
    const init = await inProject(join(project, 'node_modules/.bin/kafka-lambda-router'), ['init', 'orders-service'], parent);
    expect(init.code, init.output).toBe(0);
    const service = join(parent, 'orders-service');
    for (const file of [
      'package.json',
      'serverless.yml',
      'tsconfig.json',
      '.gitignore',
      'README.md',
      'functions/orders.ts',
      'test/orders.test.ts',
    ])
      expect(existsSync(join(service, file)), file).toBe(true);
    expect(readFileSync(join(service, 'serverless.yml'), 'utf8')).toContain('service: orders-service');
    installTarball(service, tarball.file);
    const test = await inProject('npm', ['test'], service);
    expect(test.code, test.output).toBe(0);
    expect(test.output).toMatch(/Tests\s+2 passed/);
  });
});
