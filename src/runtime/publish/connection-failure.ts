// Turns kafkajs's connection failures into a ConnectionError that says which
// broker and why in plain words. kafkajs wraps the socket's error (after its
// retries) as `KafkaJSNumberOfRetriesExceeded` → `KafkaJSConnectionError`, with
// Node's TLS/socket code on the inner error: that code decides the reason.
import { describeError } from '../errors/format.js';
import { ConnectionError } from '../errors/index.js';
import type { KafkaAuthMechanism } from './auth.js';
import type { SecretRedactor } from './redact.js';

/** What the classifier needs to know about the connection attempt. */
export interface ConnectionAttempt {
  readonly brokers: readonly string[];
  readonly mechanism: KafkaAuthMechanism;
  readonly redactor: SecretRedactor;
}

interface KafkaJsErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly broker?: unknown;
  readonly cause?: unknown;
}

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * True when a send failed because a broker could not be dialled (refused,
 * certificate, handshake), as opposed to a broker's answer, a too-large message
 * or a connection lost mid-request.
 */
export function failedToDial(error: unknown): boolean {
  return causeChain(error).some((e) => e.name === 'KafkaJSConnectionError');
}

/** The ConnectionError for a failed connection attempt: which broker, and why in a few words. */
export function connectionFailure(error: unknown, attempt: ConnectionAttempt): ConnectionError {
  const chain = causeChain(error);
  const socket = chain.find((e) => e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSConnectionClosedError');
  const sasl = chain.find((e) => e.name === 'KafkaJSSASLAuthenticationError');
  const root = socket ?? sasl ?? chain[0];
  const broker = typeof socket?.broker === 'string' ? socket.broker : attempt.brokers.join(',');
  const detail = attempt.redactor.redact(
    root && typeof root.message === 'string' ? `${String(root.name)}: ${root.message}` : describeError(error),
  );
  return new ConnectionError(broker, sasl ? `${attempt.mechanism} authentication failed` : reason(socket, attempt.mechanism), {
    detail,
    cause: new Error(detail),
  });
}

function reason(socket: KafkaJsErrorShape | undefined, mechanism: KafkaAuthMechanism): string {
  const tls = mechanism !== 'plaintext';
  const code = typeof socket?.code === 'string' ? socket.code : '';
  const message = typeof socket?.message === 'string' ? socket.message : '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'certificate does not match host';
  if (UNTRUSTED.has(code)) return 'certificate is not signed by a trusted CA';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'certificate is expired or not yet valid';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name does not resolve';
  if (tls && (code === 'EPROTO' || code.startsWith('ERR_SSL') || /before secure TLS connection/.test(message))) {
    return 'TLS handshake failed: the broker did not answer in TLS (is it a plaintext listener?)';
  }
  if (socket?.name === 'KafkaJSConnectionClosedError') {
    return tls
      ? 'the broker closed the connection'
      : 'the broker closed the connection before answering (is it a TLS listener? set KAFKA_AUTH to tls, scram-sha-512 or iam)';
  }
  if (/timeout/i.test(message)) return 'connection timed out';
  return 'connection failed';
}

function causeChain(error: unknown): KafkaJsErrorShape[] {
  const chain: KafkaJsErrorShape[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 8 && !chain.includes(current as KafkaJsErrorShape)) {
    chain.push(current as KafkaJsErrorShape);
    current = (current as KafkaJsErrorShape).cause;
  }
  return chain;
}
