// Confluent Schema Registry REST client: schemas by id (with references), lookup and registration.
import { Agent } from 'node:https';
import type { RegisteredSchema, ResolvedReference, SchemaFormat, SchemaRegistry, SchemaToRegister } from '../codec/registry.js';
import { describeError } from '../errors/format.js';
import { ConfigError, RegistryUnavailableError, SchemaNotFoundError } from '../errors/index.js';
import { coalescingCache } from './cache.js';
import { type JsonResponse, requestJson } from './http.js';

/** Basic auth credentials (Confluent Cloud: API key and secret). Never logged. */
export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

/** TLS material for a self-hosted registry: a private CA and/or a client certificate (mTLS), PEM text. */
export interface RegistryTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** Options of {@link confluentRegistry}. */
export interface ConfluentRegistryOptions {
  /** `https://registry.example.com` (credentials in the URL are moved to basic auth). */
  readonly url: string;
  /** Credentials, or a function that reads them once (from Secrets Manager) at the first request. */
  readonly basicAuth?: BasicAuth | (() => Promise<BasicAuth>);
  readonly tls?: RegistryTls;
  /** Per request (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Extra attempts after a network failure, timeout or 5xx (default 2), 100 ms apart then doubling. */
  readonly retries?: number;
}

/** A Confluent registry client with its request count (tests and logs use it). */
export interface ConfluentRegistry extends SchemaRegistry {
  readonly kind: 'confluent';
  /** Schema-by-id fetches sent (each id once per container, unless one failed). */
  readonly fetches: number;
}

interface SchemaBody {
  readonly schema?: unknown;
  readonly schemaType?: unknown;
  readonly references?: ReadonlyArray<{ name?: unknown; subject?: unknown; version?: unknown }>;
  readonly id?: unknown;
}

/**
 * A client for Confluent Schema Registry (Confluent Cloud, Confluent Platform,
 * Karapace, Redpanda, or the project's local stand-in): `GET /schemas/ids/{id}`
 * (references followed through `/subjects/{subject}/versions/{version}`),
 * `POST /subjects/{subject}` to look a schema up, `POST /subjects/{subject}/versions`
 * to register it. Each id is fetched once per container.
 */
export function confluentRegistry(options: ConfluentRegistryOptions): ConfluentRegistry {
  const base = parseUrl(options.url);
  const basicAuth = options.basicAuth ?? credentialsFromUrl(base);
  base.username = '';
  base.password = '';
  const description = `Confluent Schema Registry at ${base.origin}`;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const retries = options.retries ?? 2;
  const agent = options.tls && base.protocol === 'https:' ? new Agent({ ...options.tls, keepAlive: true }) : undefined;
  let headers: Promise<Record<string, string>> | undefined;
  const authHeaders = (): Promise<Record<string, string>> => {
    if (headers) return headers;
    const pending = (async (): Promise<Record<string, string>> => {
      if (!basicAuth) return {};
      let credentials: BasicAuth;
      try {
        credentials = typeof basicAuth === 'function' ? await basicAuth() : basicAuth;
      } catch (error) {
        // Not the record's fault: the lane fails and Lambda redelivers once the credentials can be read.
        throw new RegistryUnavailableError(`${description}: its credentials could not be read (${describeError(error)})`, { cause: error });
      }
      return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
    })();
    headers = pending;
    pending.catch(() => {
      headers = undefined;
    });
    return pending;
  };

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<JsonResponse> => {
    const url = new URL(path.replace(/^\//, ''), base.href.endsWith('/') ? base.href : `${base.href}/`);
    for (let attempt = 0; ; attempt++) {
      let response: JsonResponse | undefined;
      let failure: unknown;
      try {
        response = await requestJson(url, { method, body, headers: await authHeaders(), agent, timeoutMs, description });
      } catch (error) {
        failure = error;
      }
      const retryable = failure !== undefined || (response !== undefined && response.status >= 500);
      if (!retryable || attempt >= retries) {
        if (failure !== undefined) throw failure;
        return response as JsonResponse;
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  };

  const unavailable = (response: JsonResponse, what: string): RegistryUnavailableError => {
    const reason =
      response.status === 401 || response.status === 403
        ? 'refused the credentials'
        : `answered ${response.status}${errorCode(response) ? ` (error_code ${errorCode(response)})` : ''}`;
    return new RegistryUnavailableError(`${description} ${reason} for ${what}`);
  };

  const versions = coalescingCache(async (key: string): Promise<ResolvedReference> => {
    const [subject, version] = JSON.parse(key) as [string, number];
    const response = await call('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`);
    if (response.status === 404) throw new SchemaNotFoundError(`${subject}/${version}`, description);
    if (response.status !== 200) throw unavailable(response, `subject ${subject} version ${version}`);
    const body = response.body as SchemaBody;
    return { name: '', definition: schemaText(body, description), references: await resolveReferences(body) };
  });

  const resolveReferences = async (body: SchemaBody): Promise<ResolvedReference[]> => {
    const refs = body.references ?? [];
    return Promise.all(
      refs.map(async (ref) => {
        if (typeof ref.name !== 'string' || typeof ref.subject !== 'string' || typeof ref.version !== 'number') {
          throw new RegistryUnavailableError(`${description} sent a malformed schema reference`);
        }
        const resolved = await versions.get(JSON.stringify([ref.subject, ref.version]));
        return { ...resolved, name: ref.name };
      }),
    );
  };

  const byId = coalescingCache(async (id: string): Promise<RegisteredSchema> => {
    if (!/^\d+$/.test(id)) throw new SchemaNotFoundError(id, description);
    const response = await call('GET', `/schemas/ids/${id}`);
    if (response.status === 404) throw new SchemaNotFoundError(id, description);
    if (response.status !== 200) throw unavailable(response, `schema ${id}`);
    const body = response.body as SchemaBody;
    return { format: formatOf(body.schemaType), definition: schemaText(body, description), references: await resolveReferences(body) };
  });

  const ids = coalescingCache(async (key: string): Promise<string> => {
    const [subject, schema, autoRegister] = JSON.parse(key) as [string, SchemaToRegister, boolean];
    const payload = { schema: schema.definition, ...(schema.format === 'AVRO' ? {} : { schemaType: schema.format }) };
    const response = autoRegister
      ? await call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, payload)
      : await call('POST', `/subjects/${encodeURIComponent(subject)}`, payload);
    if (response.status === 404) throw new SchemaNotFoundError(`${subject} (schema not registered; auto-registration is off)`, description);
    if (response.status !== 200) throw unavailable(response, `subject ${subject}`);
    const id = (response.body as SchemaBody).id;
    if (typeof id !== 'number') throw new RegistryUnavailableError(`${description} answered without a schema id for subject ${subject}`);
    return String(id);
  });

  return {
    kind: 'confluent',
    description,
    schemaById: (id) => byId.get(id),
    idFor: (subject, schema, { autoRegister }) => ids.get(JSON.stringify([subject, schema, autoRegister])),
    get fetches() {
      return byId.loads;
    },
  };
}

function parseUrl(url: string): URL {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError('not http(s)');
    return parsed;
  } catch (error) {
    // The URL may carry credentials: do not echo it.
    throw new ConfigError('The schema registry URL must be an http(s) URL', { cause: error instanceof ConfigError ? undefined : error });
  }
}

function credentialsFromUrl(url: URL): BasicAuth | undefined {
  if (!url.username) return undefined;
  return { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

function formatOf(schemaType: unknown): SchemaFormat {
  return schemaType === 'PROTOBUF' || schemaType === 'JSON' ? schemaType : 'AVRO';
}

function schemaText(body: SchemaBody, description: string): string {
  if (typeof body?.schema !== 'string') throw new RegistryUnavailableError(`${description} answered without a schema`);
  return body.schema;
}

function errorCode(response: JsonResponse): number | undefined {
  const code = (response.body as { error_code?: unknown } | undefined)?.error_code;
  return typeof code === 'number' ? code : undefined;
}
