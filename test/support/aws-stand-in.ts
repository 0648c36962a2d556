import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** A request the stand-in received. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Canned answers for the AWS APIs the runtime calls (MSK, Secrets Manager, Glue). */
export interface StandInAnswers {
  /** `GetBootstrapBrokers` response body (wire names, e.g. `bootstrapBrokerString`; not always strings, to test bad answers). */
  bootstrapBrokers?: Record<string, unknown>;
  /** `GetSecretValue` `SecretString`. */
  secretString?: string;
  /** Glue `GetSchemaVersion` answers by `SchemaVersionId`; other ids get `EntityNotFoundException`. */
  glueSchemaVersions?: Record<string, { SchemaDefinition: string; DataFormat: 'AVRO' | 'JSON' | 'PROTOBUF' }>;
}

/**
 * A local HTTP endpoint speaking just enough of the MSK (REST-JSON) and
 * Secrets Manager (JSON 1.1) protocols for the real AWS SDK clients, pointed
 * at it with `endpoint`, to run their whole request/response path.
 */
export async function startAwsStandIn(
  answers: StandInAnswers,
): Promise<{ endpoint: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      if (request.method === 'GET' && /^\/v1\/clusters\/.+\/bootstrap-brokers$/.test(request.url ?? '') && answers.bootstrapBrokers) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers.bootstrapBrokers));
        return;
      }
      if (request.headers['x-amz-target'] === 'secretsmanager.GetSecretValue' && answers.secretString !== undefined) {
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        response
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ ARN: SecretId, Name: 'test', SecretString: answers.secretString }));
        return;
      }
      if (request.headers['x-amz-target'] === 'AWSGlue.GetSchemaVersion' && answers.glueSchemaVersions) {
        const { SchemaVersionId } = JSON.parse(body) as { SchemaVersionId: string };
        const found = answers.glueSchemaVersions[SchemaVersionId];
        if (!found) {
          response
            .writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'EntityNotFoundException' })
            .end(JSON.stringify({ __type: 'EntityNotFoundException', Message: 'Schema version is not found.' }));
          return;
        }
        response
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ SchemaVersionId, ...found, Status: 'AVAILABLE', VersionNumber: 1 }));
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'not found' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The session token of {@link useTestCredentials} (a secret the scan looks for). */
export const TEST_SESSION_TOKEN = 'IQoJb3JpZ2luX2VjTESTSESSIONTOKENm9yIHRlc3RzIG9ubHk1c2VjcmV0';

/** Static test credentials for the SDK's default chain, restored by the returned function. */
export function useTestCredentials(): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDTESTEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
    // A session token, as Lambda's role credentials have: the secret scan checks it never shows up in output.
    AWS_SESSION_TOKEN: TEST_SESSION_TOKEN,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return () => {
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_EC2_METADATA_DISABLED']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  };
}
