import { describe, expect, it } from 'vitest';
import { createDefaultPublisher } from '../../../../src/runtime/publish/default.js';
import { createDryRunPublisher, DRY_RUN_LABEL } from '../../../../src/runtime/publish/dry-run.js';

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
