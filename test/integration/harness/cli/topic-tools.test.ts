// The topic tools against the real local broker: produce through a route's Avro codec (Confluent-framed through the
// local registry) → the function under the ESM emulator → consume decodes the output; a poison pill and a handler
// bug → dlt inspect groups them → "fix" → dlt redrive → the record reaches the output exactly once, and a second
// redrive sends nothing new.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../../src/harness/local/emulator/emulator.js';
import { loadLocalFunctions } from '../../../../src/harness/local/emulator/functions.js';
import { type LocalRegistry, startLocalRegistry } from '../../../../src/harness/local/registry/server.js';
import { topicRecordCount } from '../../../../src/harness/local/topics.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { createTopics, testKafka, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { runBuiltCli, waitFor } from '../../../support/run-cli.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/topic-tools/', import.meta.url));
const prefix = uniqueTopic('tools');
const topics = {
  payments: `${prefix}.payments`,
  recorded: `${prefix}.recorded`,
  dlt: `${prefix}.payments.DLT`,
  clicks: `${prefix}.clicks`,
  clicked: `${prefix}.clicked`,
};
const admin = testKafkaClient().admin();
let registry: LocalRegistry;
let emulator: RunningEmulator;
const saved = { ...process.env };

// SCHEMA_REGISTRY_URL empty: the tools read the registry only where a command passes --registry, whatever the
// surrounding shell (or an earlier test in this worker) has set.
const cli = (args: string[]) =>
  runBuiltCli(args, {
    cwd: FIXTURE,
    env: { KAFKA_BROKERS: testKafka().brokers.join(','), TOOLS_PREFIX: prefix, LOG_LEVEL: 'silent', SCHEMA_REGISTRY_URL: '' },
  });
const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const count = (topic: string) => topicRecordCount(admin, topic);

beforeAll(async () => {
  await admin.connect();
  await createTopics(admin, [
    { topic: topics.payments, numPartitions: 2 },
    { topic: topics.recorded },
    { topic: topics.dlt },
    { topic: topics.clicks },
    { topic: topics.clicked },
  ]);
  registry = await startLocalRegistry();
  Object.assign(process.env, {
    TOOLS_PREFIX: prefix,
    TOOLS_REJECT_NEGATIVE: 'true',
    KAFKA_BROKERS: testKafka().brokers.join(','),
    LOG_LEVEL: 'silent',
  });
  const functions = await loadLocalFunctions({ cwd: FIXTURE });
  emulator = await startEmulator({ brokers: testKafka().brokers, functions, logger: silentLogger });
  await emulator.joined();
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  await registry?.close();
  await admin.disconnect();
  process.env = saved;
});

describe('produce → function → consume on a Protobuf route (built CLI, real broker, local registry)', () => {
  it('encodes JSON input through the route’s Protobuf codec (bare: the route reads no frames), and consume decodes input and output', async () => {
    const produced = await cli([
      'produce',
      '--route',
      'ingest-click',
      '{"url":"https://example.com/a","count":2}',
      '--registry',
      registry.url,
    ]);
    expect(produced.code, produced.output).toBe(0);
    expect(produced.output).toContain(`produced 1 message(s) to ${topics.clicks} (protobuf)`);
    expect(produced.output).toContain('ingest-click reads bare protobuf payloads: sent without registry framing');
    await waitFor(async () => (await count(topics.clicked)) === 1, 60_000, 'the click’s output');
    const input = lines((await cli(['consume', topics.clicks, '--registry', registry.url])).stdout);
    expect(input.map((r) => r.value)).toEqual([{ url: 'https://example.com/a', count: 2 }]);
    const output = lines((await cli(['consume', topics.clicked, '--format', 'json'])).stdout);
    expect(output.map((r) => r.value)).toEqual([{ url: 'https://example.com/a', count: 2 }]);
    const table = await cli(['consume', topics.clicks, '--format', 'table']);
    expect(table.stdout.split('\n')[0]).toMatch(/^partition +offset +timestamp +key +value$/);
    expect(table.stdout).toContain('{"url":"https://example.com/a","count":2}');
  }, 120_000);
});

describe('produce → function → consume, dlt inspect → fix → dlt redrive (built CLI, real broker, local registry)', () => {
  it('runs the redrive workflow end to end', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'klr-tools-')), 'payments.jsonl');
    writeFileSync(file, '{"id":"p-1","cents":100}\n{"id":"p-2","cents":250}\n\n{"id":"p-3","cents":-5}\n');
    const produced = await cli([
      'produce',
      '--route',
      'ingest-payment',
      '--file',
      file,
      '--registry',
      registry.url,
      '--key',
      'k-1',
      '--json',
    ]);
    expect(produced.code, produced.output).toBe(0);
    expect(JSON.parse(produced.stdout)).toMatchObject({ topic: topics.payments, count: 3, codec: 'avro, Confluent-framed' });
    const poison = await cli(['produce', topics.payments, '--raw', 'hex', 'ff00', '--key', 'k-2']);
    expect(poison.code, poison.output).toBe(0);
    await waitFor(async () => (await count(topics.recorded)) === 2 && (await count(topics.dlt)) === 2, 60_000, 'outputs and dead letters');

    // The input decodes through the route's Avro codec (Confluent frame read, schema from the registry or its own).
    const input = await cli(['consume', topics.payments, '--registry', registry.url]);
    expect(input.code, input.output).toBe(0);
    const inputs = lines(input.stdout);
    expect(inputs.map((r) => r.value)).toEqual(
      expect.arrayContaining([
        { id: 'p-1', cents: 100 },
        { id: 'p-2', cents: 250 },
        { id: 'p-3', cents: -5 },
      ]),
    );
    const pill = inputs.find((r) => r.key === 'k-2');
    expect(pill).toMatchObject({ value: { binary: { bytes: 2, hex: 'ff00' } } });
    expect(String(pill?.error)).toMatch(/avro/i);

    // The output, JSON, with lineage headers by meaning.
    const output = await cli(['consume', topics.recorded]);
    const outputs = lines(output.stdout);
    expect(outputs.map((r) => r.value)).toEqual(
      expect.arrayContaining([
        { id: 'p-1', euros: 1 },
        { id: 'p-2', euros: 2.5 },
      ]),
    );
    expect(outputs[0]?.headers).toMatchObject({ 'x-source-topic': topics.payments, 'x-source-partition': expect.any(Number) });

    // The dead letters, grouped; Spring's binary headers read as numbers and time.
    const inspected = await cli(['dlt', 'inspect', topics.dlt, '--json']);
    expect(inspected.code, inspected.output).toBe(0);
    const report = JSON.parse(inspected.stdout) as { total: number; groups: Array<Record<string, unknown>> };
    expect(report.total).toBe(2);
    const bug = report.groups.find((g) => g.exception === 'PermanentError');
    expect(bug).toMatchObject({ message: 'negative amount', count: 1, source: { topic: topics.payments } });
    expect(bug?.sample, JSON.stringify(bug?.sample)).toMatchObject({ value: { id: 'p-3', cents: -5 } });
    expect(report.groups.find((g) => g.exception !== 'PermanentError')?.count).toBe(1);
    const dead = lines((await cli(['consume', topics.dlt, '--codec', 'bytes'])).stdout);
    expect(dead[0]?.headers).toMatchObject({
      'kafka_dlt-original-topic': topics.payments,
      'kafka_dlt-original-partition': expect.any(Number),
      'kafka_dlt-original-offset': expect.any(Number),
      'kafka_dlt-original-timestamp': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    // Fix the handler, then a dry run (nothing sent), then the redrive of that exception only.
    process.env.TOOLS_REJECT_NEGATIVE = 'false';
    const dry = await cli(['dlt', 'redrive', topics.dlt, '--where', 'exception=PermanentError', '--dry-run', '--json']);
    expect(dry.code, dry.output).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ sent: 1, skipped: 1 });
    expect(await count(topics.payments)).toBe(4);
    const redriven = await cli(['dlt', 'redrive', topics.dlt, '--where', 'exception=PermanentError', '--json']);
    expect(redriven.code, redriven.output).toBe(0);
    expect(JSON.parse(redriven.stdout)).toMatchObject({ sent: 1, skipped: 1, stoppedBy: 'end' });
    expect(redriven.output).toMatch(/redrove 1 record\(s\), skipped 1; stopped at the end: .*committed in group/);
    await waitFor(async () => (await count(topics.recorded)) === 3, 60_000, 'the redriven record’s output');

    const after = lines((await cli(['consume', topics.recorded])).stdout);
    expect(after.filter((r) => (r.value as { id: string }).id === 'p-3')).toHaveLength(1);
    const ids = after.map((r) => (r.headers as Record<string, unknown>)['x-message-id']);
    expect(new Set(ids).size).toBe(3);
    const resent = lines((await cli(['consume', topics.payments])).stdout).filter(
      (r) => (r.headers as Record<string, unknown>)['kafka_dlt-redrive-count'] !== undefined,
    );
    // Key, value and the original headers kept; Spring's headers not carried back; the count set.
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ key: 'k-1', value: { id: 'p-3', cents: -5 }, headers: { 'kafka_dlt-redrive-count': '1' } });
    expect(Object.keys(resent[0]?.headers as object).filter((name) => name.startsWith('kafka_dlt-original'))).toEqual([]);

    // A second run with the same filter sends nothing new.
    const again = await cli(['dlt', 'redrive', topics.dlt, '--where', 'exception=PermanentError', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ sent: 0, skipped: 0 });
    expect(await count(topics.payments)).toBe(5);
  }, 240_000);
});
