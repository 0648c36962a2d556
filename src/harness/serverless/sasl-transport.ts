const SASL_SETTINGS = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_SECRET_ARN'] as const;

/**
 * Why a function's environment would expose SASL credentials, or undefined:
 * - credentials with `KAFKA_AUTH` plaintext (or unset): the producer's connection would have no TLS;
 * - a literal `KAFKA_SASL_PASSWORD`: it would sit in plain text in the function configuration and the
 *   CloudFormation template; deployed functions take `KAFKA_SASL_SECRET_ARN` (where MSK's SCRAM secrets live).
 * The answer names settings, never a value.
 */
export function saslTransportProblem(functionName: string, environment: Readonly<Record<string, unknown>>): string | undefined {
  const set = (name: string) => {
    const value = environment[name];
    return value !== undefined && value !== null && value !== '';
  };
  const credentials = SASL_SETTINGS.filter(set);
  if (credentials.length === 0) return undefined;
  const declared = environment.KAFKA_AUTH;
  const auth = typeof declared === 'string' && declared !== '' ? declared.toLowerCase() : 'plaintext';
  if (auth === 'plaintext') {
    return `${functionName} sets ${credentials.join(', ')} with KAFKA_AUTH=plaintext: SASL credentials must not go over a plaintext connection; use KAFKA_AUTH=scram-sha-512 (SASL over TLS) or remove them`;
  }
  if (typeof environment.KAFKA_SASL_PASSWORD === 'string' && environment.KAFKA_SASL_PASSWORD !== '') {
    return `${functionName} sets KAFKA_SASL_PASSWORD in its environment, where it would be stored in plain text (function configuration, CloudFormation template); put the credentials in Secrets Manager and set KAFKA_SASL_SECRET_ARN`;
  }
  return undefined;
}
