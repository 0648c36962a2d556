import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../../functions/topics.js';
import { DRY_RUN_LABEL } from '../../../src/runtime/publish/dry-run.js';
import { ROOT } from '../../support/cli.js';
import { consume, createTopics, testKafka, testKafkaClient } from '../../support/kafka.js';

describe('serverless invoke local with KAFKA_BROKERS set', () => {
  it('publishes to that cluster instead of printing a dry run', async () => {
    const kafka = testKafkaClient();
    const admin = kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const outputs = [TOPICS.emailNotifications, TOPICS.smsNotifications];
    await createTopics(
      admin,
      outputs.filter((t) => !existing.has(t)).map((topic) => ({ topic })),
    );
    // The app's topics are shared on this broker: count only what this invoke produces.
    const start = new Map<string, number>();
    for (const topic of outputs) for (const p of await admin.fetchTopicOffsets(topic)) start.set(`${topic}-${p.partition}`, Number(p.high));
    await admin.disconnect();

    // Known issue: with a Kafka connection made, the CLI prints the response and then lingers ~30 s
    // (a kafkajs socket and timers outlive disconnect), so the test stops it once the response is printed.
    const cli = spawn(
      process.execPath,
      [`${ROOT}node_modules/osls/bin/serverless.js`, 'invoke', 'local', '-f', 'notifyCustomers', '-p', 'events/notify-customers.json'],
      {
        cwd: ROOT,
        // No KAFKA_AUTH here: serverless.yml sets iam for the deployed cluster; local invokes use KAFKA_LOCAL_AUTH (plaintext).
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
          KAFKA_BROKERS: testKafka().brokers.join(','),
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    cli.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!/"batchItemFailures"/.test(stdout) && cli.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    } finally {
      cli.kill('SIGKILL');
    }
    expect(stdout).toMatch(/"batchItemFailures": \[\]/);
    expect(stdout).not.toContain(DRY_RUN_LABEL);

    const isNew = (m: { topic: string; partition: number; offset: string }) =>
      Number(m.offset) >= (start.get(`${m.topic}-${m.partition}`) ?? 0);
    const received = (await consume(kafka, outputs, (all) => all.filter(isNew).length >= 6)).filter(isNew);
    expect(received.filter((m) => m.topic === TOPICS.emailNotifications)).toHaveLength(3);
    expect(received.filter((m) => m.topic === TOPICS.smsNotifications)).toHaveLength(3);
  });
});
