import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startKafkaBroker } from '../../../../src/harness/local/broker/broker.js';
import { PublishError } from '../../../../src/runtime/errors/index.js';
import { createKafkaPublisher } from '../../../../src/runtime/publish/kafka.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import type { OutboundMessage } from '../../../../src/runtime/router/outbox.js';
import { createTopics, testKafkaClient, uniqueTopic } from '../../../support/kafka.js';
import { freezeProcessGroup } from '../../../support/processes.js';

const message = (topic: string, offset: number): OutboundMessage => ({
  topic,
  key: null,
  value: Buffer.from(String(offset)),
  headers: [],
  source: { topic: 'in', partition: 0, offset },
  sequence: 0,
  kind: 'output',
});
const invocation = { bootstrapServers: [], eventSourceArn: undefined };

/** Sockets and timers that would keep a process alive. */
const liveResources = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;

describe('Kafka publisher: delivery timeout', () => {
  it('fails a flush the broker never acknowledges, and the dropped producer neither reconnects nor lingers', async () => {
    // A broker of its own, frozen with SIGSTOP: connections stay open, requests are never answered.
    const broker = await startKafkaBroker({ log: () => undefined });
    const thaw = () => process.kill(-broker.pid, 'SIGCONT');
    const out = uniqueTopic('stalled-out');
    const admin = testKafkaClient({ brokers: [...broker.brokers] }).admin();
    await admin.connect();
    await createTopics(admin, [{ topic: out }]);
    await admin.disconnect();
    const baseline = liveResources();
    const publisher = createKafkaPublisher({
      brokers: broker.brokers,
      requestTimeoutMs: 2_000,
      deliveryTimeoutMs: 3_000,
      logger: silentLogger,
    });
    try {
      await publisher.publish([message(out, 0)], invocation);
      await freezeProcessGroup(broker.pid);
      const started = performance.now();
      const error = await publisher.publish([message(out, 1)], invocation).catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      // If the broker ever answers here, say what state its processes were in (T = stopped) and when.
      const states = () => execFileSync('ps', ['-o', 'pid=,stat=,comm=', '-g', String(broker.pid)], { encoding: 'utf8' }).trim();
      expect(error, `settled after ${elapsed.toFixed(0)} ms; broker processes: ${states()}`).toBeInstanceOf(PublishError);
      expect((error as PublishError).message).toMatch(
        /^Publishing 1 message\(s\) to 1 topic\(s\) was not acknowledged within 3000 ms; the producer was dropped \(last broker error: .*timed out\)$/,
      );
      // The deadline, plus the disconnect waiting for the request in flight to time out.
      expect(elapsed).toBeGreaterThanOrEqual(3_000);
      expect(elapsed).toBeLessThan(3_000 + 2_000 + 1_500);

      // kafkajs's send loop for the dropped producer is still retrying: once the broker answers again it
      // must not get a connection back, and it must end (no socket, no retry timer left).
      thaw();
      const deadline = performance.now() + 20_000;
      while (liveResources() > baseline && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(liveResources()).toBeLessThanOrEqual(baseline);

      // The next flush connects a fresh producer.
      await publisher.publish([message(out, 2)], invocation);
      expect(publisher.connects).toBe(2);
    } finally {
      thaw();
      await publisher.close();
      await broker.stop();
    }
  });
});
