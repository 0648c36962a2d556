import type { OauthbearerProviderResponse } from 'kafkajs';

/** A signed MSK IAM token and when it stops being valid. */
export interface IamToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiryTime: number;
}

/** Makes a fresh token (the signer, or a test double). */
export type IamTokenSource = () => Promise<IamToken>;

/** Options of {@link iamOauthBearerProvider}. */
export interface IamProviderOptions {
  /** Renew this long before expiry (default 60 s): tokens live 15 minutes. */
  readonly refreshBeforeMs?: number;
  readonly now?: () => number;
}

/**
 * kafkajs's `oauthBearerProvider` for MSK IAM: hands out a cached token and
 * signs a new one once the cached one is within `refreshBeforeMs` of expiry,
 * so re-authentication never presents an expired token. Concurrent callers
 * share one signing call.
 */
export function iamOauthBearerProvider(
  source: IamTokenSource,
  options: IamProviderOptions = {},
): () => Promise<OauthbearerProviderResponse> {
  const refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: IamToken | undefined;
  let pending: Promise<IamToken> | undefined;
  return async () => {
    if (!cached || now() >= cached.expiryTime - refreshBeforeMs) {
      pending ??= source().finally(() => {
        pending = undefined;
      });
      cached = await pending;
    }
    return { value: cached.token };
  };
}

/** Options of {@link mskIamTokenSource}. */
export interface MskIamTokenOptions {
  readonly region: string;
  /** Default: the SDK's default credential chain (the Lambda role in Lambda). */
  readonly credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>;
  /** The `User-Agent` query parameter MSK logs. */
  readonly userAgent?: string;
}

const TOKEN_TTL_SECONDS = 900;

/**
 * MSK IAM tokens, made the way `aws-msk-iam-sasl-signer-js` makes them: a
 * SigV4-presigned `GET https://kafka.<region>.amazonaws.com/?Action=kafka-cluster:Connect`
 * (service `kafka-cluster`, 900 s), base64url-encoded. Built on `@smithy/signature-v4`
 * and the default credential chain, which every AWS SDK v3 client depends on and
 * the Lambda runtime ships; the signer package itself pulls in a deprecated
 * dependency the runtime may lack. Loaded with `import()` only on the IAM path:
 * it costs about 100 ms of cold start.
 */
export function mskIamTokenSource(options: MskIamTokenOptions): IamTokenSource {
  return async () => {
    const [{ SignatureV4 }, { createHash, createHmac }] = await Promise.all([import('@smithy/signature-v4'), import('node:crypto')]);
    const credentials = options.credentials ?? (await import('@aws-sdk/credential-provider-node')).defaultProvider();
    const identity = await credentials();
    const hostname = `kafka.${options.region}.amazonaws.com`;
    class Sha256 {
      private readonly hash;
      constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
        this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
      }
      update(data: string | ArrayBuffer | ArrayBufferView): void {
        this.hash.update(toBytes(data));
      }
      async digest(): Promise<Uint8Array> {
        return new Uint8Array(this.hash.digest());
      }
      reset(): void {}
    }
    const signer = new SignatureV4({
      service: 'kafka-cluster',
      region: options.region,
      credentials: identity,
      sha256: Sha256,
      applyChecksum: false,
    });
    // SigV4 dates have whole seconds (X-Amz-Date): sign at the start of this second, so the token expires exactly
    // ttlSeconds after the date it carries.
    const signedAtMs = Math.floor(Date.now() / 1000) * 1000;
    const ttlSeconds = identity.expiration
      ? Math.min(Math.floor((identity.expiration.getTime() - Date.now()) / 1000), TOKEN_TTL_SECONDS)
      : TOKEN_TTL_SECONDS;
    const signed = await signer.presign(
      { method: 'GET', protocol: 'https:', hostname, path: '/', headers: { host: hostname }, query: { Action: 'kafka-cluster:Connect' } },
      { expiresIn: ttlSeconds, signingDate: new Date(signedAtMs) },
    );
    const query: Record<string, string> = {
      ...(signed.query as Record<string, string>),
      'User-Agent': options.userAgent ?? 'kafka-lambda-router',
    };
    const url = `https://${hostname}/?${Object.entries(query)
      .map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`)
      .join('&')}`;
    return { token: Buffer.from(url, 'utf8').toString('base64url'), expiryTime: signedAtMs + ttlSeconds * 1000 };
  };
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
