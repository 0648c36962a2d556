import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { authFromEnv } from '../../../../src/runtime/publish/auth.js';
import { createKafkaPublisher } from '../../../../src/runtime/publish/kafka.js';
import { toTopicMessages } from '../../../../src/runtime/publish/messages.js';
import { SecretRedactor } from '../../../../src/runtime/publish/redact.js';

describe('authFromEnv', () => {
  it('defaults to plaintext and reads each mechanism', () => {
    expect(authFromEnv({})).toEqual({ mechanism: 'plaintext' });
    expect(authFromEnv({ KAFKA_AUTH: 'tls' })).toEqual({ mechanism: 'tls' });
    expect(authFromEnv({ KAFKA_AUTH: 'iam', AWS_REGION: 'eu-west-1' })).toEqual({ mechanism: 'iam', region: 'eu-west-1' });
    expect(authFromEnv({ KAFKA_AUTH: 'scram-sha-512', KAFKA_SASL_SECRET_ARN: 'arn:s' })).toEqual({
      mechanism: 'scram-sha-512',
      secretArn: 'arn:s',
    });
    expect(authFromEnv({ KAFKA_AUTH: 'SCRAM', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual({
      mechanism: 'scram-sha-512',
      username: 'u',
      password: 'p',
    });
  });

  it('says what is missing, never the values', () => {
    expect(() => authFromEnv({ KAFKA_AUTH: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u' })).toThrow(ConfigError);
    expect(() => authFromEnv({ KAFKA_AUTH: 'kerberos' })).toThrow(/must be plaintext, tls, scram-sha-512 or iam/);
  });
});

describe('createKafkaPublisher', () => {
  it('refuses retries < 1 (the idempotent producer needs them)', () => {
    expect(() => createKafkaPublisher({ retries: 0, auth: { mechanism: 'plaintext' } })).toThrow(/retries must be an integer ≥ 1/);
  });
});

describe('toTopicMessages', () => {
  it('groups by topic in outbox order and keeps repeated headers', () => {
    const source = { topic: 'in', partition: 0, offset: 0 };
    const message = (topic: string, value: string, headers: Array<readonly [string, Buffer]> = []) =>
      ({ topic, key: null, value: Buffer.from(value), headers, source, sequence: 0, kind: 'output' }) as const;
    const grouped = toTopicMessages([
      message('a', '1', [
        ['h', Buffer.from('x')],
        ['h', Buffer.from('y')],
      ]),
      message('b', '2'),
      message('a', '3'),
    ]);
    expect(grouped.map((t) => [t.topic, t.messages.map((m) => m.value?.toString())])).toEqual([
      ['a', ['1', '3']],
      ['b', ['2']],
    ]);
    expect(grouped[0]?.messages[0]?.headers?.h).toEqual([Buffer.from('x'), Buffer.from('y')]);
  });
});

describe('SecretRedactor', () => {
  it('blanks remembered secrets out of text', () => {
    const redactor = new SecretRedactor();
    redactor.remember('s3cr3t-value');
    expect(redactor.redact('auth failed for s3cr3t-value at broker')).toBe('auth failed for [redacted] at broker');
  });
});
