import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What `docs serve` serves: the page, and the document in both formats. */
export interface ServedDocs {
  readonly html: string;
  readonly yaml: string;
  readonly json: string;
}

/** A running docs server. */
export interface DocsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the docs on `host:port` (127.0.0.1 by default; port 0 picks a free one). Read-only: GET and HEAD only. */
export function serveDocs(docs: ServedDocs, options: { host?: string; port?: number } = {}): Promise<DocsServer> {
  const routes: Readonly<Record<string, { type: string; body: string }>> = {
    '/': { type: 'text/html; charset=utf-8', body: docs.html },
    '/index.html': { type: 'text/html; charset=utf-8', body: docs.html },
    '/asyncapi.yaml': { type: 'application/yaml; charset=utf-8', body: docs.yaml },
    '/asyncapi.json': { type: 'application/json; charset=utf-8', body: docs.json },
  };
  const server = createServer((request, response) => {
    const route = routes[new URL(request.url ?? '/', 'http://localhost').pathname];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    } else {
      response.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : route.body);
    }
  });
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
