import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors/index.js';
import { usernamePasswordFromSecret } from '../secrets/username-password.js';
import { type BasicAuth, type ConfluentRegistry, confluentRegistry, type RegistryTls } from './confluent.js';

/** Options of {@link confluentRegistryFromEnv}; `secretsEndpoint` points the SDK at a local stand-in in tests. */
export interface RegistryEnvOptions {
  readonly region?: string;
  readonly secretsEndpoint?: string;
}

/**
 * A Confluent registry client configured from the environment:
 * `SCHEMA_REGISTRY_URL`; credentials from `SCHEMA_REGISTRY_USERNAME` + `SCHEMA_REGISTRY_PASSWORD`,
 * or `SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO` (`key:secret`, Confluent's name), or
 * `SCHEMA_REGISTRY_SECRET_ARN` (a Secrets Manager secret `{"username","password"}`, the format
 * Lambda's ESM uses for BASIC_AUTH, read once at the first request); TLS from
 * `SCHEMA_REGISTRY_CA_FILE`, `SCHEMA_REGISTRY_CERT_FILE`, `SCHEMA_REGISTRY_KEY_FILE` (PEM).
 */
export function confluentRegistryFromEnv(env: NodeJS.ProcessEnv = process.env, options: RegistryEnvOptions = {}): ConfluentRegistry {
  const url = env.SCHEMA_REGISTRY_URL;
  if (!url) throw new ConfigError('SCHEMA_REGISTRY_URL is not set');
  return confluentRegistry({ url, basicAuth: basicAuthFromEnv(env, options), tls: tlsFromEnv(env) });
}

function basicAuthFromEnv(env: NodeJS.ProcessEnv, options: RegistryEnvOptions): BasicAuth | (() => Promise<BasicAuth>) | undefined {
  const { SCHEMA_REGISTRY_USERNAME: username, SCHEMA_REGISTRY_PASSWORD: password, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: userInfo } = env;
  const secretArn = env.SCHEMA_REGISTRY_SECRET_ARN;
  const given = [
    username || password ? 'USERNAME/PASSWORD' : '',
    userInfo ? 'BASIC_AUTH_USER_INFO' : '',
    secretArn ? 'SECRET_ARN' : '',
  ].filter(Boolean);
  if (given.length > 1) throw new ConfigError(`Set only one of SCHEMA_REGISTRY_${given.join(', SCHEMA_REGISTRY_')}`);
  if (username || password) {
    if (!username || !password) throw new ConfigError('SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD go together');
    return { username, password };
  }
  if (userInfo) {
    const colon = userInfo.indexOf(':');
    if (colon <= 0) throw new ConfigError('SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO must be "<key>:<secret>"');
    return { username: userInfo.slice(0, colon), password: userInfo.slice(colon + 1) };
  }
  if (secretArn) {
    const secretOptions = {
      ...(options.region ? { region: options.region } : {}),
      ...(options.secretsEndpoint ? { endpoint: options.secretsEndpoint } : {}),
    };
    return () => usernamePasswordFromSecret(secretArn, secretOptions);
  }
  return undefined;
}

function tlsFromEnv(env: NodeJS.ProcessEnv): RegistryTls | undefined {
  const read = (name: string): string | undefined => {
    const file = env[name];
    if (!file) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`${name}: cannot read ${file}`, { cause: error });
    }
  };
  const tls = { ca: read('SCHEMA_REGISTRY_CA_FILE'), cert: read('SCHEMA_REGISTRY_CERT_FILE'), key: read('SCHEMA_REGISTRY_KEY_FILE') };
  if (!tls.ca && !tls.cert && !tls.key) return undefined;
  if (Boolean(tls.cert) !== Boolean(tls.key)) throw new ConfigError('SCHEMA_REGISTRY_CERT_FILE and SCHEMA_REGISTRY_KEY_FILE go together');
  return Object.fromEntries(Object.entries(tls).filter(([, value]) => value)) as RegistryTls;
}
