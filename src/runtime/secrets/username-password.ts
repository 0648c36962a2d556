import { ConfigError } from '../errors/index.js';

/** A username and password (SASL/SCRAM, registry basic auth). Never logged, never put in an error message. */
export interface UsernamePassword {
  readonly username: string;
  readonly password: string;
}

/** Options for reading the secret; `endpoint` points the SDK at a local stand-in in tests. */
export interface SecretOptions {
  readonly region?: string;
  readonly endpoint?: string;
}

/**
 * Reads `{"username","password"}` from Secrets Manager (the format MSK SCRAM
 * secrets use, and ours for registry basic auth). The SDK client is imported only on this path.
 */
export async function usernamePasswordFromSecret(secretArn: string, options: SecretOptions = {}): Promise<UsernamePassword> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  const response = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.SecretString ?? '');
  } catch {
    parsed = undefined;
  }
  const { username, password } = (parsed ?? {}) as Partial<UsernamePassword>;
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
    // Say what is wrong with the secret's shape, never what is in it.
    throw new ConfigError(`Secret ${secretArn} must be JSON with non-empty "username" and "password" strings`);
  }
  return { username, password };
}
