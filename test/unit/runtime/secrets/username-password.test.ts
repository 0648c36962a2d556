import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { usernamePasswordFromSecret } from '../../../../src/runtime/secrets/username-password.js';
import { startAwsStandIn, useTestCredentials } from '../../../support/aws-stand-in.js';

// The real @aws-sdk/client-secrets-manager against a local HTTP stand-in.
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_demo-AbCdEf';

let restoreCredentials: () => void;
beforeAll(() => {
  restoreCredentials = useTestCredentials();
});
afterAll(() => restoreCredentials());

const read = async (secretString: string, region?: string) => {
  const standIn = await startAwsStandIn({ secretString });
  try {
    const result = await usernamePasswordFromSecret(SECRET_ARN, { endpoint: standIn.endpoint, ...(region ? { region } : {}) }).catch(
      (e: unknown) => e,
    );
    return { result, requests: standIn.requests };
  } finally {
    await standIn.close();
  }
};

describe('usernamePasswordFromSecret', () => {
  it('reads {username, password} from the secret it names, signed for the region given', async () => {
    const { result, requests } = await read(JSON.stringify({ username: 'alice', password: 'pa55word', engine: 'kafka' }), 'eu-west-1');
    expect(result).toEqual({ username: 'alice', password: 'pa55word' });
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ SecretId: SECRET_ARN });
    expect(requests[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(String(requests[0]?.headers.authorization)).toMatch(/\/eu-west-1\/secretsmanager\/aws4_request/);
  });

  it('refuses a secret of any other shape, saying what is wrong and never what is in it', async () => {
    for (const secret of [
      'hunter2-not-json',
      '"hunter2"',
      'null',
      '{"username":"alice"}',
      '{"username":"","password":"hunter2"}',
      '{"username":"alice","password":7}',
      '{"username":5,"password":"hunter2"}',
    ]) {
      const { result } = await read(secret);
      expect(result, secret).toBeInstanceOf(ConfigError);
      expect((result as Error).message).toBe(`Secret ${SECRET_ARN} must be JSON with non-empty "username" and "password" strings`);
    }
  });
});
