import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type IamToken, iamOauthBearerProvider, mskIamTokenSource } from '../../../../src/runtime/publish/iam-token.js';
import { useTestCredentials } from '../../../support/aws-stand-in.js';

describe('MSK IAM token', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = useTestCredentials();
  });
  afterAll(() => {
    restore();
    vi.useRealTimers();
  });
  const credentials = async () => ({ accessKeyId: 'AKIDTESTEXAMPLE', secretAccessKey: 'test-secret-access-key' });
  const params = (token: string) => Object.fromEntries(new URL(Buffer.from(token, 'base64url').toString('utf8')).searchParams);

  it('is a base64url presigned kafka-cluster:Connect URL, SigV4-signed, valid 900 s (default credential chain)', async () => {
    const { token, expiryTime } = await mskIamTokenSource({ region: 'eu-west-1' })();
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

  it('signs exactly what aws-msk-iam-sasl-signer-js signs (same credentials, same instant)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-24T08:15:00Z'));
    const reference = await generateAuthTokenFromCredentialsProvider({ region: 'us-east-1', awsCredentialsProvider: credentials });
    const ours = await mskIamTokenSource({ region: 'us-east-1', credentials, userAgent: 'aws-msk-iam-sasl-signer-js/1.0.3' })();
    vi.useRealTimers();
    expect(params(ours.token)).toEqual(params(reference.token));
    expect(new URL(Buffer.from(ours.token, 'base64url').toString('utf8')).host).toBe('kafka.us-east-1.amazonaws.com');
    expect(ours.expiryTime).toBe(reference.expiryTime);
  });

  it('expires exactly 900 s after the signing second, even when signed late in that second', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-24T08:15:00.750Z'));
    const { token, expiryTime } = await mskIamTokenSource({ region: 'us-east-1', credentials })();
    vi.useRealTimers();
    expect(params(token)['X-Amz-Date']).toBe('20261124T081500Z');
    expect(expiryTime).toBe(Date.UTC(2026, 10, 24, 8, 15, 0) + 900_000);
  });

  it('names itself kafka-lambda-router by default, and percent-encodes the user agent as RFC 3986 says', async () => {
    const url = async (userAgent?: string) =>
      Buffer.from(
        (await mskIamTokenSource({ region: 'us-east-1', credentials, ...(userAgent ? { userAgent } : {}) })()).token,
        'base64url',
      ).toString();
    expect(await url()).toMatch(/&User-Agent=kafka-lambda-router$/);
    expect(await url("app (v1)!*'")).toMatch(/&User-Agent=app%20%28v1%29%21%2A%27$/);
  });

  it('shortens the token to the credentials’ remaining lifetime', async () => {
    const expiring = async () => ({ ...(await credentials()), expiration: new Date(Date.now() + 300_000) });
    const { token } = await mskIamTokenSource({ region: 'us-east-1', credentials: expiring })();
    expect(Number(params(token)['X-Amz-Expires'])).toBeLessThanOrEqual(300);
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

  it('renews 60 s before expiry by default', async () => {
    let clock = 0;
    let signed = 0;
    const provider = iamOauthBearerProvider(async () => ({ token: `token-${++signed}`, expiryTime: 900_000 }), { now: () => clock });
    await provider();
    clock = 839_999;
    expect(await provider()).toEqual({ value: 'token-1' });
    clock = 840_000;
    expect(await provider()).toEqual({ value: 'token-2' });
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
