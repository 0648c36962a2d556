import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { startKafkaBroker } from '../../../../src/harness/local/broker/broker.js';
import { BrokerHarnessError } from '../../../../src/harness/local/broker/errors.js';
import { freePort } from '../../../../src/harness/local/broker/ports.js';
import { isAlive } from '../../../support/processes.js';
import { CLI_BIN, waitFor } from '../../../support/run-cli.js';

const alive = isAlive;
const javaPids = async (guardianPid: number): Promise<number[]> => {
  const { execFileSync } = await import('node:child_process');
  try {
    return execFileSync('pgrep', ['-g', String(guardianPid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
  } catch {
    return [];
  }
};

describe('broker lifecycle', () => {
  it('fails fast with the broker log tail when the broker cannot bind its port', async () => {
    const port = await freePort();
    const squatter = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    const began = Date.now();
    try {
      const failure = await startKafkaBroker({ port, log: () => undefined }).then(
        (broker) => broker.stop().then(() => new Error('broker started on an occupied port')),
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(BrokerHarnessError);
      expect((failure as BrokerHarnessError).code).toBe('BROKER_START');
      expect((failure as Error).message).toMatch(/exited .* before it was ready/);
      expect((failure as Error).message).toMatch(/Address already in use/i);
      expect(Date.now() - began).toBeLessThan(30_000);
    } finally {
      squatter.close();
    }
  });

  it('leaves no broker process or data behind when its parent is killed with SIGKILL', async () => {
    const parent = spawn(process.execPath, [CLI_BIN, 'kafka', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KAFKA_LAMBDA_ROUTER_STATE_DIR: mkdtempSync(join(tmpdir(), 'klr-state-')) },
    });
    try {
      let stdout = '';
      parent.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      await waitFor(() => stdout.includes('\n'), 60_000);
      // `kafka --json`: one line for scripts. The guardian is the process-group leader; the JVM is in its group.
      const ready = JSON.parse(stdout) as { bootstrapServers: string; pid: number; dataDir: string };
      expect(ready.bootstrapServers).toMatch(/^127\.0\.0\.1:\d+$/);
      const guardian = ready.pid;
      const group = await javaPids(guardian);
      expect(group.length).toBeGreaterThan(1);
      const dataDir = ready.dataDir;
      expect(existsSync(dataDir)).toBe(true);

      parent.kill('SIGKILL');
      await waitFor(async () => (await javaPids(guardian)).length === 0, 30_000);
      expect(group.filter(alive)).toEqual([]);
      await waitFor(() => !existsSync(dataDir), 30_000);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('restarts on its kept data directory after SIGKILL: same port, records still there', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'broker-crash-')), 'data');
    let broker = await startKafkaBroker({ dataDir, autoCreateTopics: false, log: () => undefined });
    try {
      const kafka = new Kafka({ clientId: 'crash-test', brokers: [...broker.brokers], logLevel: logLevel.NOTHING, retry: { retries: 1 } });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 2 }], waitForLeaders: true });
      await admin.disconnect();
      // Idempotent: under load a retried produce request must not write its batch twice (a CI run counted 59 of 40).
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      await producer.send({ topic: 'kept', acks: -1, messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
      // Auto-creation is off: an unknown topic is refused, not created.
      await expect(producer.send({ topic: 'never-created', acks: -1, messages: [{ value: 'x' }] })).rejects.toThrow();
      await producer.disconnect();

      const group = await javaPids(broker.pid);
      await broker.kill();
      expect(group.filter(alive)).toEqual([]);
      expect(existsSync(join(dataDir, 'kraft'))).toBe(true);

      const port = broker.brokers[0];
      broker = await startKafkaBroker({ dataDir, log: () => undefined });
      expect(broker.restarted).toBe(true);
      expect(broker.brokers[0]).toBe(port);
      const again = kafka.admin();
      await again.connect();
      const offsets = await again.fetchTopicOffsets('kept');
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(40);
      expect(await again.listTopics()).not.toContain('never-created');
      await again.disconnect();
    } finally {
      await broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
