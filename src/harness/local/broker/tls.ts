import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { BrokerHarnessError } from './errors.js';

/** A self-signed loopback certificate: the broker's keystore and the CA clients trust. */
export interface LoopbackCertificate {
  readonly keystorePath: string;
  readonly keystorePassword: string;
  /** PEM of the self-signed certificate; give it to clients as `ssl.ca`. */
  readonly caPem: string;
}

/** The names the broker's certificate is valid for: both ways a client on this machine dials it. */
export const LOOPBACK_SUBJECT_ALT_NAMES: readonly string[] = ['dns:localhost', 'ip:127.0.0.1'];

/**
 * Generates a PKCS12 keystore with `keytool` from the same JDK that runs the
 * broker (so no openssl is needed). Clients verify the certificate against the
 * host they dial, so its subject alternative names must list every name a
 * client uses: by default `localhost` and `127.0.0.1` (the advertised listener).
 * Tests pass other names to get a certificate that must be refused.
 */
export function createLoopbackCertificate(
  directory: string,
  java: string,
  subjectAltNames: readonly string[] = LOOPBACK_SUBJECT_ALT_NAMES,
): LoopbackCertificate {
  const keytool = java === 'java' ? 'keytool' : join(dirname(java), 'keytool');
  const keystorePath = join(directory, 'broker.p12');
  const keystorePassword = randomBytes(12).toString('hex');
  const common = ['-alias', 'broker', '-keystore', keystorePath, '-storepass', keystorePassword, '-storetype', 'PKCS12'];
  const generate = spawnSync(
    keytool,
    [
      '-genkeypair',
      ...common,
      '-keypass',
      keystorePassword,
      '-keyalg',
      'RSA',
      '-keysize',
      '2048',
      '-validity',
      '7',
      '-dname',
      `CN=${subjectAltNames[0]?.replace(/^\w+:/, '') ?? 'localhost'}`,
      '-ext',
      `SAN=${subjectAltNames.join(',')}`,
    ],
    { encoding: 'utf8' },
  );
  if (generate.status !== 0) {
    throw new BrokerHarnessError(
      'BROKER_START',
      `keytool could not create the broker certificate: ${generate.stderr || generate.error?.message}`,
    );
  }
  const exported = spawnSync(keytool, ['-exportcert', '-rfc', ...common], { encoding: 'utf8' });
  if (exported.status !== 0 || !exported.stdout.includes('BEGIN CERTIFICATE')) {
    throw new BrokerHarnessError('BROKER_START', `keytool could not export the broker certificate: ${exported.stderr}`);
  }
  return { keystorePath, keystorePassword, caPem: exported.stdout };
}
