// A small Confluent Schema Registry for local runs and tests: the REST subset that Confluent's
// serializers (Java, Python confluent-kafka, @confluentinc/schemaregistry) and our clients use.
// No real registry can be installed here (not on Maven Central or PyPI), so this one is checked
// against those clients instead.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { KafkaRouterError } from '../../../runtime/errors/index.js';
import { RegistryStore, type SchemaReferenceBody, type StoredSchema, type StoreRefusal, type SubjectVersion } from './store.js';

/** Options of {@link startLocalRegistry}. */
export interface LocalRegistryOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Requires HTTP basic auth with one of these `user → password` pairs. */
  readonly users?: Readonly<Record<string, string>>;
  /** Delays every answer (to test client timeouts). */
  readonly delayMs?: number;
}

/** A request the registry received (method and URL only: bodies may hold schemas, never secrets, but stay out of logs). */
export interface RegistryRequest {
  readonly method: string;
  readonly url: string;
}

/** A running local registry. */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly store: RegistryStore;
  readonly requests: RegistryRequest[];
  /** Changes the answer delay while running. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** The local registry could not start (port in use…). */
export class LocalRegistryError extends KafkaRouterError {
  override name = 'LocalRegistryError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIG', message, { permanent: true, cause: options.cause });
  }
}

/** Starts the registry on 127.0.0.1. */
export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const store = new RegistryStore();
  const requests: RegistryRequest[] = [];
  let delayMs = options.delayMs ?? 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '' });
      const answer = () => respond(store, request, body, options.users, response);
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new LocalRegistryError(`The local schema registry could not listen: ${error.message}`, { cause: error })),
    );
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    requests,
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Reply = { readonly status: number; readonly body: unknown };

function respond(
  store: RegistryStore,
  request: IncomingMessage,
  body: string,
  users: LocalRegistryOptions['users'],
  response: ServerResponse,
): void {
  let reply: Reply;
  if (users && !authorized(request.headers.authorization, users)) {
    reply = { status: 401, body: { error_code: 401, message: 'Unauthorized' } };
  } else {
    try {
      reply = route(store, request.method ?? 'GET', new URL(request.url ?? '/', 'http://registry'), body);
    } catch {
      reply = { status: 422, body: { error_code: 42201, message: 'Unprocessable request body' } };
    }
  }
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  response.writeHead(reply.status, { 'content-type': CONTENT_TYPE }).end(text);
}

function authorized(header: string | undefined, users: Readonly<Record<string, string>>): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  return colon > 0 && Object.hasOwn(users, user) && users[user] === decoded.slice(colon + 1);
}

function refused(refusal: StoreRefusal): Reply {
  return { status: refusal.status, body: { error_code: refusal.errorCode, message: refusal.message } };
}

function route(store: RegistryStore, method: string, url: URL, body: string): Reply {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, a, b, c, d] = parts;
  if (method === 'GET' && head === 'schemas' && a === 'ids' && b !== undefined) {
    const schema = store.schema(Number(b));
    if (!schema || !/^\d+$/.test(b)) return { status: 404, body: { error_code: 40403, message: 'Schema not found' } };
    if (c === 'versions') return { status: 200, body: store.usages(schema.id).map(({ subject, version }) => ({ subject, version })) };
    if (c === 'subjects') return { status: 200, body: [...new Set(store.usages(schema.id).map((v) => v.subject))] };
    if (c === 'schema') return { status: 200, body: schema.schema };
    return { status: 200, body: schemaBody(schema) };
  }
  if (method === 'GET' && head === 'schemas' && a === 'types') return { status: 200, body: ['JSON', 'PROTOBUF', 'AVRO'] };
  if (head === 'subjects') {
    if (a === undefined && method === 'GET') return { status: 200, body: store.subjectNames() };
    if (a !== undefined && b === undefined && method === 'POST') {
      const { schemaType, schema, references } = parseBody(body);
      const found = store.find(a, schemaType, schema, references);
      return 'status' in found ? refused(found) : { status: 200, body: versionBody(store, found) };
    }
    if (a !== undefined && b === undefined && method === 'DELETE') {
      const deleted = store.deleteSubject(a);
      return Array.isArray(deleted) ? { status: 200, body: deleted } : refused(deleted);
    }
    if (a !== undefined && b === 'versions') {
      if (c === undefined && method === 'POST') {
        const { schemaType, schema, references } = parseBody(body);
        const registered = store.register(a, schemaType, schema, references);
        return 'status' in registered ? refused(registered) : { status: 200, body: { id: registered.id } };
      }
      if (c === undefined && method === 'GET') {
        const versions = store.versions(a);
        return versions
          ? { status: 200, body: versions.map((v) => v.version) }
          : refused({ status: 404, errorCode: 40401, message: `Subject '${a}' not found.` });
      }
      if (c !== undefined && method === 'GET') {
        const version = store.version(a, c);
        if ('status' in version) return refused(version);
        if (d === 'schema') return { status: 200, body: (store.schema(version.id) as StoredSchema).schema };
        return { status: 200, body: versionBody(store, version) };
      }
    }
  }
  if (head === 'config' || head === 'mode') {
    const key = head === 'config' ? 'compatibilityLevel' : 'mode';
    const value = head === 'config' ? 'BACKWARD' : 'READWRITE';
    if (method === 'GET') return { status: 200, body: { [key]: value } };
    if (method === 'PUT') return { status: 200, body: JSON.parse(body || '{}') };
  }
  if (head === 'compatibility' && method === 'POST') return { status: 200, body: { is_compatible: true } };
  if (head === 'contexts' && method === 'GET') return { status: 200, body: ['.'] };
  return { status: 404, body: { error_code: 404, message: `Not supported by the local registry: ${method} ${url.pathname}` } };
}

function parseBody(body: string): { schemaType: StoredSchema['schemaType']; schema: string; references: SchemaReferenceBody[] } {
  const parsed = JSON.parse(body) as { schema?: unknown; schemaType?: unknown; references?: unknown };
  const schemaType = parsed.schemaType === 'PROTOBUF' || parsed.schemaType === 'JSON' ? parsed.schemaType : 'AVRO';
  const references = Array.isArray(parsed.references) ? (parsed.references as SchemaReferenceBody[]) : [];
  return { schemaType, schema: typeof parsed.schema === 'string' ? parsed.schema : '', references };
}

function schemaBody(schema: StoredSchema): Record<string, unknown> {
  return {
    schema: schema.schema,
    ...(schema.schemaType === 'AVRO' ? {} : { schemaType: schema.schemaType }),
    ...(schema.references.length > 0 ? { references: schema.references } : {}),
  };
}

function versionBody(store: RegistryStore, version: SubjectVersion): Record<string, unknown> {
  const schema = store.schema(version.id) as StoredSchema;
  return { subject: version.subject, version: version.version, id: version.id, ...schemaBody(schema) };
}
