import { describe, expect, it } from 'vitest';
import { KafkaRouterError } from '../../../../src/runtime/errors/index.js';
import { createDefaultPublisher } from '../../../../src/runtime/publish/default.js';
import { createDryRunPublisher, DRY_RUN_LABEL } from '../../../../src/runtime/publish/dry-run.js';
import type { KafkaPublisher } from '../../../../src/runtime/publish/kafka.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';

/** An error's message and its causes' messages, one per line. */
const describeChain = (error: unknown): string => {
  const lines: string[] = [];
  for (let at: unknown = error; at instanceof Error && lines.length < 8; at = at.cause) lines.push(at.message);
  return lines.join('\n');
};

describe('createDefaultPublisher', () => {
  it('dry-runs under serverless invoke local without a cluster, and publishes to Kafka otherwise', () => {
    expect('connects' in createDefaultPublisher({}, { IS_LOCAL: 'true' })).toBe(false);
    expect(
      'connects' in createDefaultPublisher({ auth: { mechanism: 'plaintext' } }, { IS_LOCAL: 'true', KAFKA_BROKERS: '127.0.0.1:9092' }),
    ).toBe(true);
    expect('connects' in createDefaultPublisher({ auth: { mechanism: 'plaintext' } }, {})).toBe(true);
  });

  it('uses KAFKA_LOCAL_AUTH (default plaintext) under invoke local with KAFKA_BROKERS, not the deployed KAFKA_AUTH', () => {
    // iam would fail construction-free but connect over TLS; scram without credentials throws: proves which env was read.
    expect(() => createDefaultPublisher({}, { IS_LOCAL: 'true', KAFKA_BROKERS: 'b:9092', KAFKA_AUTH: 'scram-sha-512' })).not.toThrow();
    expect(() => createDefaultPublisher({}, { IS_LOCAL: 'true', KAFKA_BROKERS: 'b:9092', KAFKA_LOCAL_AUTH: 'scram-sha-512' })).toThrow(
      /KAFKA_AUTH=scram-sha-512 needs/,
    );
    expect(() => createDefaultPublisher({}, { KAFKA_BROKERS: 'b:9092', KAFKA_AUTH: 'scram-sha-512' })).toThrow(
      /KAFKA_AUTH=scram-sha-512 needs/,
    );
  });

  it('dials the brokers of the env it was given, not process.env’s or the event’s', async () => {
    // Nothing listens on 127.0.0.1:1 or :2: the failure names the broker that was dialled.
    const publisher = createDefaultPublisher(
      { auth: { mechanism: 'plaintext' }, retries: 1, deliveryTimeoutMs: 3_000, logger: silentLogger },
      { KAFKA_BROKERS: '127.0.0.1:1' },
    );
    const source = { topic: 'in', partition: 0, offset: 0 };
    const failure = await publisher
      .publish([{ topic: 'out', key: null, value: Buffer.from('1'), headers: [], source, sequence: 0, kind: 'output' }], {
        bootstrapServers: ['127.0.0.1:2'],
        eventSourceArn: undefined,
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(KafkaRouterError);
    expect(describeChain(failure)).toContain('127.0.0.1:1');
    expect(describeChain(failure)).not.toContain('127.0.0.1:2');
    await (publisher as KafkaPublisher).close();
  }, 15_000);

  it('labels every dry-run line so it cannot pass for a real publish', async () => {
    const lines: string[] = [];
    const source = { topic: 'in', partition: 0, offset: 0 };
    await createDryRunPublisher((line) => lines.push(line)).publish(
      [
        { topic: 'out', key: Buffer.from('k'), value: Buffer.from('{"a":1}'), headers: [], source, sequence: 0, kind: 'output' },
        { topic: 'in.DLT', key: null, value: null, headers: [], source, sequence: 0, kind: 'dead-letter' },
      ],
      { bootstrapServers: [], eventSourceArn: undefined },
    );
    expect(lines).toEqual([
      `${DRY_RUN_LABEL} output → out key="k" value={"a":1}`,
      `${DRY_RUN_LABEL} dead letter → in.DLT key=null value=null`,
    ]);
  });
});
