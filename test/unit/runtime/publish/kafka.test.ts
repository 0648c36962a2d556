import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { createKafkaPublisher } from '../../../../src/runtime/publish/kafka.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';

describe('createKafkaPublisher: preConnect', () => {
  it('needs brokers known at init: without the option or KAFKA_BROKERS it is a ConfigError', () => {
    expect(() => createKafkaPublisher({ preConnect: true, logger: silentLogger }, {})).toThrow(ConfigError);
    expect(() => createKafkaPublisher({ preConnect: true, logger: silentLogger }, {})).toThrow(/preConnect needs brokers/);
  });

  it('logs a failed pre-connect instead of failing init, and the first flush connects again', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    // Nothing listens on port 1: the pre-connect fails fast.
    const publisher = createKafkaPublisher(
      { brokers: ['127.0.0.1:1'], preConnect: true, retries: 1, connectionTimeoutMs: 200, logger },
      {},
    );
    await expect.poll(() => warnings.some((w) => w.startsWith('Pre-connecting to Kafka failed')), { timeout: 10_000 }).toBe(true);
    expect(publisher.connects).toBe(0);
    await publisher.close();
  });
});
