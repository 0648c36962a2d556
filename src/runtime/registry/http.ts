import { request as httpRequest } from 'node:http';
import { type Agent, request as httpsRequest } from 'node:https';
import { RegistryUnavailableError } from '../errors/index.js';

/** An HTTP answer with its JSON body (undefined when not JSON). */
export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Options of {@link requestJson}. */
export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  readonly body?: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** For https: CA, client certificate and key (mTLS). */
  readonly agent: Agent | undefined;
  readonly timeoutMs: number;
  /** How the registry is named in errors (never with credentials). */
  readonly description: string;
}

/** One JSON request; a network failure or timeout is a RegistryUnavailableError. */
export function requestJson(url: URL, options: JsonRequest): Promise<JsonResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method,
        agent: options.agent,
        headers: {
          accept: 'application/vnd.schemaregistry.v1+json, application/json',
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/vnd.schemaregistry.v1+json', 'content-length': Buffer.byteLength(payload) }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) =>
          reject(new RegistryUnavailableError(`${options.description} answer was cut off (${error.message})`, { cause: error })),
        );
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined; // an HTML error page from a proxy: the status says enough
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.setTimeout(options.timeoutMs, () => {
      req.destroy(new RegistryUnavailableError(`${options.description} did not answer within ${options.timeoutMs} ms`));
    });
    req.on('error', (error) => {
      reject(
        error instanceof RegistryUnavailableError
          ? error
          : new RegistryUnavailableError(
              `${options.description} is unreachable (${(error as NodeJS.ErrnoException).code ?? error.message})`,
              { cause: error },
            ),
      );
    });
    req.end(payload);
  });
}
