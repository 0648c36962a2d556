import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../src/harness/local/broker/ports.js';
import { runCollecting } from '../../../src/harness/local/broker/run-collecting.js';
import { ReliabilitySuiteError } from './errors.js';

/** The Toxiproxy release the suite builds from the Go module proxy. */
export const TOXIPROXY_VERSION = 'v2.12.0';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where the built `toxiproxy-server` lives: `$TOXIPROXY_SERVER`, else `.cache/toxiproxy-<version>/server`. */
export function toxiproxyBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOXIPROXY_SERVER ?? join(ROOT, '.cache', `toxiproxy-${TOXIPROXY_VERSION}`, 'server');
}

/** The `go` command: on PATH, else the usual /usr/local/go install. */
function goExecutable(): string {
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
}

/**
 * Returns the toxiproxy server binary, building it the first time with
 * `go install github.com/Shopify/toxiproxy/v2/cmd/server@<version>` (about
 * 20–40 s on 2 cores). The build lands in a sibling folder and is renamed into
 * place, so an interrupted build is never used.
 */
export async function ensureToxiproxy(log: (line: string) => void = () => undefined): Promise<string> {
  const binary = toxiproxyBinary();
  if (existsSync(binary)) return binary;
  const dir = join(binary, '..');
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`building toxiproxy ${TOXIPROXY_VERSION} from the Go module proxy into ${dir}`);
  const built = await runCollecting(goExecutable(), ['install', `github.com/Shopify/toxiproxy/v2/cmd/server@${TOXIPROXY_VERSION}`], {
    ...process.env,
    GOBIN: partial,
    GOFLAGS: '-mod=mod',
  }).catch((error: unknown) => ({ code: -1, output: String(error) }));
  if (built.code !== 0 || !existsSync(join(partial, 'server'))) {
    rmSync(partial, { recursive: true, force: true });
    throw new ReliabilitySuiteError(
      `Cannot build toxiproxy (needs Go 1.22+ on PATH or in /usr/local/go; exit ${built.code}):\n${built.output}\n` +
        'Or set TOXIPROXY_SERVER to a toxiproxy-server binary.',
    );
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return binary;
}

/** A toxic: a fault toxiproxy applies to one direction of a proxy's traffic. */
export interface Toxic {
  readonly name: string;
  readonly type: 'latency' | 'timeout' | 'reset_peer' | 'limit_data' | 'bandwidth' | 'slicer' | 'slow_close';
  /** `upstream`: client → broker (requests); `downstream`: broker → client (responses). */
  readonly stream: 'upstream' | 'downstream';
  readonly toxicity?: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/** A running toxiproxy server and its HTTP API. */
export interface Toxiproxy {
  readonly apiPort: number;
  /**
   * Creates a proxy forwarding to 127.0.0.1:`upstreamPort`, listening on a loopback port toxiproxy binds itself
   * (port 0), and returns that port. A port picked beforehand with `freePort` was taken by the broker's own
   * connections before toxiproxy could bind it in a CI run under load (`bind: address already in use`).
   */
  createProxy(name: string, upstreamPort: number): Promise<number>;
  /** Enables or disables a proxy (disabled: connections refused), or points it at another upstream port. */
  updateProxy(name: string, change: { readonly enabled?: boolean; readonly upstreamPort?: number }): Promise<void>;
  addToxic(proxy: string, toxic: Toxic): Promise<void>;
  removeToxic(proxy: string, toxic: string): Promise<void>;
  deleteProxy(name: string): Promise<void>;
  /** Removes every toxic and re-enables every proxy. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `toxiproxy-server` on a free loopback port; it dies with this process (stdin pipe). */
export async function startToxiproxy(binary: string): Promise<Toxiproxy> {
  const apiPort = await freePort();
  const child: ChildProcess = spawn(binary, ['-host', '127.0.0.1', '-port', String(apiPort)], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const base = `http://127.0.0.1:${apiPort}`;
  const call = async (method: string, path: string, body?: unknown): Promise<string> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new ReliabilitySuiteError(`toxiproxy ${method} ${path} answered ${response.status}: ${text}`);
    return text;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new ReliabilitySuiteError(`toxiproxy exited (${child.exitCode}): ${stderr}`);
    if (
      await fetch(`${base}/version`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new ReliabilitySuiteError(`toxiproxy did not answer on ${base} within 10 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    apiPort,
    async createProxy(name, upstreamPort) {
      const created = await call('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}`, enabled: true });
      // toxiproxy answers with the address it bound: "listen": "127.0.0.1:40733".
      const port = Number(/:(\d+)$/.exec((JSON.parse(created) as { listen?: string }).listen ?? '')?.[1]);
      if (!Number.isInteger(port) || port <= 0)
        throw new ReliabilitySuiteError(`toxiproxy did not say which port ${name} listens on: ${created}`);
      return port;
    },
    async updateProxy(name, change) {
      await call('POST', `/proxies/${name}`, {
        ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
        ...(change.upstreamPort !== undefined ? { upstream: `127.0.0.1:${change.upstreamPort}` } : {}),
      });
    },
    async addToxic(proxy, toxic) {
      await call('POST', `/proxies/${proxy}/toxics`, { toxicity: 1, ...toxic });
    },
    async removeToxic(proxy, toxic) {
      await call('DELETE', `/proxies/${proxy}/toxics/${toxic}`);
    },
    async deleteProxy(name) {
      await call('DELETE', `/proxies/${name}`);
    },
    async reset() {
      await call('POST', '/reset');
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
