import { describe, expect, it } from 'vitest';
import { saslTransportProblem } from '../../../../src/harness/serverless/sasl-transport.js';

const plugin = { saslTransportProblem };
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_creds';

describe('the plugin refuses SASL credentials on a plaintext path', () => {
  it.each([
    [
      'plaintext with a secret ARN',
      { KAFKA_AUTH: 'plaintext', KAFKA_SASL_SECRET_ARN: ARN },
      /KAFKA_SASL_SECRET_ARN with KAFKA_AUTH=plaintext/,
    ],
    [
      'no KAFKA_AUTH (plaintext by default) with a user',
      { KAFKA_SASL_USERNAME: 'router', KAFKA_SASL_PASSWORD: 'pw-9d2e' },
      /KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD with KAFKA_AUTH=plaintext/,
    ],
    ['PLAINTEXT in capitals', { KAFKA_AUTH: 'PLAINTEXT', KAFKA_SASL_SECRET_ARN: { Ref: 'Secret' } }, /KAFKA_AUTH=plaintext/],
    [
      'a literal password with SCRAM',
      { KAFKA_AUTH: 'scram-sha-512', KAFKA_SASL_USERNAME: 'router', KAFKA_SASL_PASSWORD: 'pw-9d2e' },
      /stored in plain text.*KAFKA_SASL_SECRET_ARN/,
    ],
  ])('%s', (_name, environment, message) => {
    const problem = plugin.saslTransportProblem('validateOrders', environment);
    expect(problem).toMatch(message);
    expect(problem).toMatch(/^validateOrders /);
    expect(problem).not.toContain('pw-9d2e');
  });

  it.each([
    ['SCRAM with a secret ARN (the example stage)', { KAFKA_AUTH: 'scram-sha-512', KAFKA_SASL_SECRET_ARN: ARN }],
    ['IAM with the empty secret parameter (the example default)', { KAFKA_AUTH: 'iam', KAFKA_SASL_SECRET_ARN: '' }],
    ['plaintext without credentials (local Kafka)', { KAFKA_AUTH: 'plaintext' }],
    ['nothing at all', {}],
  ])('accepts %s', (_name, environment) => {
    expect(plugin.saslTransportProblem('validateOrders', environment)).toBeUndefined();
  });
});
