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

/**
 * Generates a PKCS12 keystore with `keytool` from the same JDK that runs the
 * broker (so no openssl is needed), valid for 127.0.0.1 and localhost.
 */
export function createLoopbackCertificate(directory: string, java: string): LoopbackCertificate {
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
      'CN=localhost',
      '-ext',
      'SAN=DNS:localhost,IP:127.0.0.1',
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
