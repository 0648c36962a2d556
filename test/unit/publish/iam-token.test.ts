import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IamToken, iamOauthBearerProvider, mskSignerTokenSource } from '../../../src/publish/iam-token.js';
import { useTestCredentials } from '../../support/aws-stand-in.js';

describe('MSK IAM token (real aws-msk-iam-sasl-signer-js, static test credentials)', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = useTestCredentials();
  });
  afterAll(() => restore());

  it('is a base64url presigned kafka-cluster:Connect URL, SigV4-signed, valid 900 s', async () => {
    const { token, expiryTime } = await mskSignerTokenSource('eu-west-1')();
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
    expect(url.host).toBe('kafka.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDTESTEXAMPLE\/\d{8}\/eu-west-1\/kafka-cluster\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(expiryTime - Date.now()).toBeGreaterThan(800_000);
    expect(expiryTime - Date.now()).toBeLessThanOrEqual(900_000);
  });
});

describe('iamOauthBearerProvider', () => {
  it('reuses the token until it is within the refresh margin of expiry, then signs a new one', async () => {
    let clock = 0;
    let signed = 0;
    const source = async (): Promise<IamToken> => {
      signed++;
      return { token: `token-${signed}`, expiryTime: clock + 900_000 };
    };
    const provider = iamOauthBearerProvider(source, { refreshBeforeMs: 60_000, now: () => clock });
    expect(await provider()).toEqual({ value: 'token-1' });
    clock = 839_999;
    expect(await provider()).toEqual({ value: 'token-1' });
    clock = 840_000;
    expect(await provider()).toEqual({ value: 'token-2' });
    expect(signed).toBe(2);
  });

  it('shares one signing call between concurrent callers', async () => {
    let signed = 0;
    const provider = iamOauthBearerProvider(async () => {
      signed++;
      await new Promise((r) => setTimeout(r, 5));
      return { token: 't', expiryTime: Date.now() + 900_000 };
    });
    await Promise.all([provider(), provider(), provider()]);
    expect(signed).toBe(1);
  });
});
