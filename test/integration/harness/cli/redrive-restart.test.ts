// dlt redrive when the broker dies mid-way: a dedicated broker on a kept data directory (the shared one cannot be
// restarted), a few hundred dead letters, the built CLI redriving them, the broker SIGKILLed once some have landed
// and restarted on the same port, then redrive run again until it reaches the end. Nothing may be lost on the
// target, and a record may arrive twice only if the run before reported it in doubt on its closing line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { type RunningBroker, startKafkaBroker } from '../../../../src/harness/local/broker/broker.js';
import { topicRecordCount } from '../../../../src/harness/local/topics.js';
import { DLT_HEADERS } from '../../../../src/runtime/router/dead-letter.js';
import { CLI_BIN, runBuiltCli, spawnCollecting, waitFor } from '../../../support/run-cli.js';

const DEAD_LETTERS = 600;
const target = 'orders';
const dlt = 'orders.DLT';

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

/** The `--json` result line and the closing line of one redrive run. */
interface RedriveRun {
  readonly code: number | null;
  readonly result: {
    sent: number;
    stoppedBy: string;
    remaining?: number;
    inDoubt: Array<{ partition: number; offset: number; state: string }>;
  };
  readonly closing: string;
}

function parseRun(code: number | null, stdout: string, output: string): RedriveRun {
  const json = stdout.split('\n').find((line) => line.startsWith('{"groupId"'));
  if (!json) throw new Error(`no result line from dlt redrive (exit ${code}):\n${output.slice(-2_000)}`);
  const closing = output.split('\n').find((line) => /redrove \d+ record\(s\)/.test(line)) ?? '';
  return { code, result: JSON.parse(json) as RedriveRun['result'], closing };
}

describe('dlt redrive across a broker restart (dedicated real broker, built CLI)', () => {
  it('loses nothing, and sends again only what the interrupted run reported in doubt', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'redrive-restart-')), 'data');
    let broker: RunningBroker = await startKafkaBroker({ dataDir, autoCreateTopics: false, log: () => undefined });
    const kafka = new Kafka({ clientId: 'redrive-restart', brokers: [...broker.brokers], logLevel: logLevel.NOTHING });
    const env = { KAFKA_BROKERS: broker.brokers.join(','), SCHEMA_REGISTRY_URL: '', LOG_LEVEL: 'silent' };
    const cwd = mkdtempSync(join(tmpdir(), 'redrive-cwd-'));
    try {
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [
          { topic: target, numPartitions: 2 },
          { topic: dlt, numPartitions: 2 },
        ],
        waitForLeaders: true,
      });
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      const now = Date.now();
      await producer.send({
        topic: dlt,
        acks: -1,
        messages: Array.from({ length: DEAD_LETTERS }, (_, i) => ({
          partition: i % 2,
          key: `order-${i}`,
          value: JSON.stringify({ order: i }),
          // The original headers first, then the dead-letter headers as the router (and Spring) append them.
          headers: {
            'x-message-id': `m-${i}`,
            [DLT_HEADERS.originalTopic]: target,
            [DLT_HEADERS.originalPartition]: int32(i % 2),
            [DLT_HEADERS.originalOffset]: int64(i),
            [DLT_HEADERS.originalTimestamp]: int64(now),
            [DLT_HEADERS.exceptionFqcn]: 'PermanentError',
            [DLT_HEADERS.exceptionMessage]: 'bug fixed since',
          },
        })),
      });
      await producer.disconnect();
      // A fresh broker creates its group coordinator's topic on first use and answers "loading" for seconds; the
      // tool waits that out for its own offsets, but this test is about the restart, so the first run starts after.
      await waitFor(
        () =>
          admin.fetchOffsets({ groupId: 'warm-up', topics: [dlt] }).then(
            () => true,
            () => false,
          ),
        60_000,
        'the group coordinator',
      );
      await admin.disconnect();

      // The first run, killed under: the broker goes once a tenth of the dead letters reached the target.
      const first = spawnCollecting(process.execPath, [CLI_BIN, 'dlt', 'redrive', dlt, '--json'], { cwd, env });
      const watcher = kafka.admin();
      await watcher.connect();
      await waitFor(
        async () => (await topicRecordCount(watcher, target)) >= DEAD_LETTERS / 10 || first.child.exitCode !== null,
        30_000,
        'the first redriven records',
      );
      expect(first.child.exitCode, first.output()).toBeNull();
      await watcher.disconnect().catch(() => undefined);
      await broker.kill();
      const killedAt = Date.now();
      broker = await startKafkaBroker({ dataDir, log: () => undefined });
      expect(broker.restarted).toBe(true);
      const { code } = await first.exited;
      const runs = [parseRun(code, first.stdout(), first.output())];
      console.log(`broker down for ${Date.now() - killedAt} ms; first run: exit ${code}; ${runs[0]?.closing}`);
      // It did not get to the end before the kill, and its closing line says where it stopped.
      expect(runs[0]?.result.stoppedBy, runs[0]?.closing).not.toBe('end');
      expect(runs[0]?.result.sent).toBeLessThan(DEAD_LETTERS);
      expect(runs[0]?.closing).toMatch(/; stopped (by an error|waiting|early)/);

      // Run again until a run gets to the end (the restarted broker may still be loading its group coordinator).
      for (let attempt = 0; attempt < 5 && runs.at(-1)?.result.stoppedBy !== 'end'; attempt++) {
        const again = await runBuiltCli(['dlt', 'redrive', dlt, '--json'], { cwd, env });
        runs.push(parseRun(again.code, again.stdout, again.output));
        console.log(`run ${runs.length}: exit ${again.code}; ${runs.at(-1)?.closing}`);
      }
      const last = runs.at(-1);
      expect(last?.result.stoppedBy, last?.closing).toBe('end');
      expect(last?.code).toBe(0);
      expect(last?.closing).toMatch(/stopped at the end: partition \d at offset \d+, partition \d at offset \d+/);

      // Nothing lost: every dead letter is on the target.
      const seen = new Map<string, number>();
      const reader = kafka.consumer({ groupId: `check-${Date.now()}`, maxWaitTimeInMs: 100 });
      await reader.connect();
      await reader.subscribe({ topic: target, fromBeginning: true });
      const admin2 = kafka.admin();
      await admin2.connect();
      const total = await topicRecordCount(admin2, target);
      await admin2.disconnect();
      let read = 0;
      await reader.run({
        eachMessage: async ({ message }) => {
          read++;
          const id = message.headers?.['x-message-id']?.toString() ?? '?';
          seen.set(id, (seen.get(id) ?? 0) + 1);
        },
      });
      await waitFor(() => read >= total, 30_000, 'the target read to its end');
      await reader.disconnect();
      const missing = Array.from({ length: DEAD_LETTERS }, (_, i) => `m-${i}`).filter((id) => !seen.has(id));
      expect(missing).toEqual([]);

      // Twice only what a run reported in doubt; the sends add up to what is on the target.
      const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
      const inDoubt = runs.reduce((sum, run) => sum + run.result.inDoubt.length, 0);
      console.log(
        `target: ${total} records, ${seen.size} distinct, ${duplicates} twice; in doubt reported: ${inDoubt}; runs: ${runs.length}`,
      );
      expect(duplicates).toBeLessThanOrEqual(inDoubt);
      expect(total).toBeGreaterThanOrEqual(runs.reduce((sum, run) => sum + run.result.sent, 0));
      expect(runs.reduce((sum, run) => sum + run.result.sent, 0)).toBeGreaterThanOrEqual(DEAD_LETTERS);
      // A further run sends nothing.
      const after = await runBuiltCli(['dlt', 'redrive', dlt, '--json'], { cwd, env });
      expect(parseRun(after.code, after.stdout, after.output).result).toMatchObject({ sent: 0, stoppedBy: 'end' });
    } finally {
      await broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);
});
