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

/**
 * The signer-backed token source. `aws-msk-iam-sasl-signer-js` (and the AWS SDK
 * it pulls in) is imported only here, when IAM auth is actually used: it costs
 * about 100 ms of cold start.
 */
export function mskSignerTokenSource(region: string): IamTokenSource {
  return async () => {
    const { generateAuthToken } = await import('aws-msk-iam-sasl-signer-js');
    return generateAuthToken({ region });
  };
}
