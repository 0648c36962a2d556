import { spawn } from 'node:child_process';
import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../../functions/topics.js';
import { DRY_RUN_LABEL } from '../../../src/runtime/publish/dry-run.js';
import { ROOT } from '../../support/cli.js';
import { consume, createTopics, testKafka, testKafkaClient } from '../../support/kafka.js';

/** Partition offsets of a topic; right after it is created, kafkajs's admin may still ask a broker that is not yet its leader. */
async function offsetsOf(admin: Admin, topic: string): Promise<Array<{ partition: number; high: string }>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (attempt >= 20 || !/not the leader/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('serverless invoke local with KAFKA_BROKERS set', () => {
  it('publishes to that cluster instead of printing a dry run, and exits within 5 s of printing the response', async () => {
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
    for (const topic of outputs) for (const p of await offsetsOf(admin, topic)) start.set(`${topic}-${p.partition}`, Number(p.high));
    await admin.disconnect();

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
    let output = '';
    let printedAt: number | undefined;
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    cli.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      onData(chunk);
      // The response is the CLI's last line: a pretty-printed object ending in "}".
      if (printedAt === undefined && /"batchItemFailures": \[[\s\S]*\n\}/.test(stdout)) printedAt = performance.now();
    });
    cli.stderr.on('data', onData);
    let exit: { code: number | null; at: number } | undefined;
    cli.once('exit', (code) => {
      exit = { code, at: performance.now() };
    });
    const until = async (done: () => boolean, deadline: number) => {
      while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      // Up to 60 s to bundle, invoke and print; then up to 15 s to exit (the assertion below wants < 5 s).
      await until(() => printedAt !== undefined || exit !== undefined, performance.now() + 60_000);
      if (printedAt !== undefined) await until(() => exit !== undefined, printedAt + 15_000);
    } finally {
      if (exit === undefined) cli.kill('SIGKILL');
    }
    expect(printedAt, output).toBeDefined();
    expect(exit, 'the CLI was still running 15 s after printing the response').toBeDefined();
    expect(exit?.code).toBe(0);
    expect((exit?.at ?? Number.POSITIVE_INFINITY) - (printedAt ?? 0)).toBeLessThan(5_000);
    // kafkajs warns about an idempotent producer with limited retries; ours is configured so it has no reason to.
    expect(output).not.toContain('Limiting retries for the idempotent producer');
    expect(output).not.toMatch(/"level":"WARN"/);
    expect(stdout).toMatch(/"batchItemFailures": \[\]/);
    expect(stdout).not.toContain(DRY_RUN_LABEL);

    const isNew = (m: { topic: string; partition: number; offset: string }) =>
      Number(m.offset) >= (start.get(`${m.topic}-${m.partition}`) ?? 0);
    const received = (await consume(kafka, outputs, (all) => all.filter(isNew).length >= 6)).filter(isNew);
    expect(received.filter((m) => m.topic === TOPICS.emailNotifications)).toHaveLength(3);
    expect(received.filter((m) => m.topic === TOPICS.smsNotifications)).toHaveLength(3);
  });
});
