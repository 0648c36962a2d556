import * as kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../../../src/runtime/errors/index.js';
import type { KafkaAuthMechanism } from '../../../../src/runtime/publish/auth.js';
import { connectionFailure, failedToDial } from '../../../../src/runtime/publish/connection-failure.js';
import { SecretRedactor } from '../../../../src/runtime/publish/redact.js';

// kafkajs exports these at run time; its typings omit some and narrow some constructors.
type ErrorClass = new (message: string | Error, options?: Record<string, unknown>) => Error;
const exported = kafkajs as unknown as Record<string, ErrorClass>;
const [
  KafkaJSConnectionClosedError,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
] = [
  'KafkaJSConnectionClosedError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSProtocolError',
  'KafkaJSSASLAuthenticationError',
].map((name) => exported[name] as ErrorClass) as [ErrorClass, ErrorClass, ErrorClass, ErrorClass, ErrorClass];

// kafkajs's own error classes, shaped as kafkajs throws them after its retries; the codes are Node's (tls, net, dns).
const afterRetries = (error: Error) => new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 1, retryTime: 100 });
const socketError = (message: string, code: string) =>
  afterRetries(new KafkaJSConnectionError(`Connection error: ${message}`, { broker: 'b-1.example:9096', code }));

const classify = (error: unknown, mechanism: KafkaAuthMechanism = 'scram-sha-512', redactor = new SecretRedactor()) =>
  connectionFailure(error, { brokers: ['b-1.example:9096', 'b-2.example:9096'], mechanism, redactor });

describe('connectionFailure', () => {
  it.each([
    [
      "Hostname/IP does not match certificate's altnames: Host: b-1.example. is not in the cert's altnames: DNS:other",
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'certificate does not match host',
    ],
    ['self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'certificate is not signed by a trusted CA'],
    ['unable to get local issuer certificate', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'certificate is not signed by a trusted CA'],
    ['certificate has expired', 'CERT_HAS_EXPIRED', 'certificate is expired or not yet valid'],
    ['connect ECONNREFUSED 10.0.0.1:9096', 'ECONNREFUSED', 'connection refused'],
    ['getaddrinfo ENOTFOUND b-1.example', 'ENOTFOUND', 'host name does not resolve'],
    [
      'Client network socket disconnected before secure TLS connection was established',
      'ECONNRESET',
      'TLS handshake failed: the broker did not answer in TLS (is it a plaintext listener?)',
    ],
  ])('names the broker and the reason for %s', (message, code, reason) => {
    const error = classify(socketError(message, code));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.broker).toBe('b-1.example:9096');
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(
      `Cannot connect to Kafka broker b-1.example:9096: ${reason} (KafkaJSConnectionError: Connection error: ${message})`,
    );
  });

  it('hints at a TLS listener when a plaintext client gets its connection closed', () => {
    const closed = afterRetries(new KafkaJSConnectionClosedError('Closed connection', { host: '127.0.0.1', port: 9094 }));
    expect(classify(closed, 'plaintext').reason).toMatch(/^the broker closed the connection before answering \(is it a TLS listener\?/);
    expect(classify(closed, 'tls').reason).toBe('the broker closed the connection');
  });

  it('reports rejected credentials with the mechanism, never the secret', () => {
    const redactor = new SecretRedactor();
    redactor.remember('s3cret-password');
    const error = classify(
      new KafkaJSSASLAuthenticationError('SASL SCRAM SHA512 authentication failed for s3cret-password'),
      'scram-sha-512',
      redactor,
    );
    expect(error.broker).toBe('b-1.example:9096,b-2.example:9096');
    expect(error.reason).toBe('scram-sha-512 authentication failed');
    expect(`${error.message}${String(error.cause)}`).not.toContain('s3cret-password');
  });

  it('tells dial failures from broker answers and mid-request disconnects', () => {
    expect(failedToDial(socketError('connect ECONNREFUSED 10.0.0.1:9096', 'ECONNREFUSED'))).toBe(true);
    expect(failedToDial(new KafkaJSConnectionClosedError('Closed connection', { host: 'h', port: 1 }))).toBe(false);
    expect(failedToDial(new KafkaJSProtocolError('The request included a message larger than the max message size'))).toBe(false);
  });

  it.each([
    ['certificate is not yet valid', 'CERT_NOT_YET_VALID', 'scram-sha-512', 'certificate is expired or not yet valid'],
    ['getaddrinfo EAI_AGAIN b-1.example', 'EAI_AGAIN', 'scram-sha-512', 'host name does not resolve'],
    ['write EPROTO', 'EPROTO', 'tls', 'TLS handshake failed: the broker did not answer in TLS (is it a plaintext listener?)'],
    [
      'wrong version number',
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'iam',
      'TLS handshake failed: the broker did not answer in TLS (is it a plaintext listener?)',
    ],
    // Without TLS, a protocol error is not a handshake problem.
    ['write EPROTO', 'EPROTO', 'plaintext', 'connection failed'],
    ['Connection timeout', '', 'plaintext', 'connection timed out'],
    ['something else', 'ESOMETHING', 'tls', 'connection failed'],
  ] as const)('reads %s (%s, %s) as: %s', (message, code, mechanism, reason) => {
    expect(classify(socketError(message, code), mechanism).reason).toBe(reason);
  });

  it('still answers with a ConnectionError for anything else thrown, naming every broker', () => {
    const cases: Array<[unknown, string]> = [
      [new Error('weird'), 'Error: weird'],
      [{ name: 'KafkaJSError', message: 'plain object' }, 'KafkaJSError: plain object'],
      [{ name: 'Odd', message: 42 }, 'non-Error thrown: object'],
      ['a string', 'non-Error thrown: string'],
      [null, 'non-Error thrown: object'],
    ];
    for (const [thrown, detail] of cases) {
      const error = classify(thrown, 'plaintext');
      expect(error).toBeInstanceOf(ConnectionError);
      expect([error.broker, error.reason, error.message]).toEqual([
        'b-1.example:9096,b-2.example:9096',
        'connection failed',
        `Cannot connect to Kafka broker b-1.example:9096,b-2.example:9096: connection failed (${detail})`,
      ]);
    }
    expect(failedToDial(null)).toBe(false);
  });

  it('looks at most 8 causes deep, so a pathological chain cannot stall a flush', () => {
    const wrapped = (depth: number) => {
      let error: Error = new KafkaJSConnectionError('Connection error: refused', { broker: 'b-1.example:9096', code: 'ECONNREFUSED' });
      for (let i = 0; i < depth; i++) error = new Error(`wrapper ${i}`, { cause: error });
      return error;
    };
    expect(failedToDial(wrapped(7))).toBe(true);
    expect(failedToDial(wrapped(8))).toBe(false);
  });
});
