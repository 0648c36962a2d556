import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { compareDocuments } from './check.js';
import { formatDiagnostic, hasErrors } from './diagnostics.js';
import { type GeneratedDocs, generateDocs } from './generate.js';
import { renderHtmlPage } from './html.js';
import { serveDocs } from './serve.js';
import { type DocumentFormat, formatOf, serializeDocument } from './write.js';

/** Options shared by the `docs` commands. */
export interface DocsOptions {
  /** The service directory (serverless.yml); default the current directory. */
  readonly cwd?: string;
  /** The serverless stage; default `dev`. */
  readonly stage?: string;
  /** The document's path, relative to `cwd`; default `asyncapi.yaml` (`asyncapi.json` with `json`). */
  readonly out?: string;
  /** Write JSON instead of YAML. */
  readonly json?: boolean;
  /** `docs gen`: also write the HTML page next to the document (`asyncapi.html`). */
  readonly html?: boolean;
  /** Where lines go (default: stdout for results, stderr for diagnostics). */
  readonly io?: DocsIo;
}

/** Options of `docs serve`. */
export interface DocsServeOptions extends DocsOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8000; 0 picks a free port. */
  readonly port?: number;
  /** Stops the server (Ctrl-C stops it too). */
  readonly signal?: AbortSignal;
  /** Called with the page's URL once it is served. */
  readonly onListening?: (url: string) => void;
}

/** Output of the commands. */
export interface DocsIo {
  out(line: string): void;
  err(line: string): void;
}

const defaultIo: DocsIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** `docs gen`: writes the AsyncAPI document (and with `html` the page). Exit code 1 when a schema or setting cannot be described. */
export async function docsGen(options: DocsOptions = {}): Promise<number> {
  const io = options.io ?? defaultIo;
  const target = targetOf(options);
  const generated = await generateReported(options, io);
  if (!generated) return 1;
  writeFileSync(target.path, serializeDocument(generated.document, target.format));
  const counts = `${Object.keys(generated.document.channels as object).length} channels, ${Object.keys(generated.document.operations as object).length} operations`;
  io.out(`wrote ${target.display} (AsyncAPI 3.0, ${counts})`);
  if (options.html) {
    const page = `${target.path.replace(/\.(ya?ml|json)$/i, '')}.html`;
    writeFileSync(page, renderHtmlPage(generated.document));
    io.out(`wrote ${relative(target.cwd, page) || page}`);
  }
  return 0;
}

/** `docs check`: exit code 0 when the committed document is what `docs gen` would write now, 1 when it is stale or missing. */
export async function docsCheck(options: DocsOptions = {}): Promise<number> {
  const io = options.io ?? defaultIo;
  const target = targetOf(options);
  if (!existsSync(target.path)) {
    io.err(`${target.display} does not exist: run docs gen and commit it`);
    return 1;
  }
  const generated = await generateReported(options, io);
  if (!generated) return 1;
  const result = compareDocuments(readFileSync(target.path, 'utf8'), serializeDocument(generated.document, target.format));
  if (result.upToDate) {
    io.out(`${target.display} is up to date`);
    return 0;
  }
  io.err(`${target.display} is stale: it differs from what docs gen writes now, first at line ${result.line}`);
  io.err(`  committed: ${result.committed ?? '(end of file)'}`);
  io.err(`  generated: ${result.generated ?? '(end of file)'}`);
  io.err('Run docs gen and commit the result.');
  return 1;
}

/** `docs serve`: serves the page and the document until `signal` aborts or the process gets SIGINT/SIGTERM. */
export async function docsServe(options: DocsServeOptions = {}): Promise<number> {
  const io = options.io ?? defaultIo;
  const generated = await generateReported(options, io);
  if (!generated) return 1;
  const server = await serveDocs(
    {
      html: renderHtmlPage(generated.document),
      yaml: serializeDocument(generated.document, 'yaml'),
      json: serializeDocument(generated.document, 'json'),
    },
    { ...(options.host ? { host: options.host } : {}), ...(options.port !== undefined ? { port: options.port } : {}) },
  );
  io.out(`docs served at ${server.url} (Ctrl-C stops)`);
  options.onListening?.(server.url);
  await new Promise<void>((stop) => {
    const signals = ['SIGINT', 'SIGTERM'] as const;
    const done = () => {
      for (const signal of signals) process.off(signal, done);
      options.signal?.removeEventListener('abort', done);
      stop();
    };
    for (const signal of signals) process.once(signal, done);
    if (options.signal?.aborted) done();
    options.signal?.addEventListener('abort', done, { once: true });
  });
  await server.close();
  return 0;
}

function targetOf(options: DocsOptions): { cwd: string; path: string; display: string; format: DocumentFormat } {
  const cwd = resolve(options.cwd ?? process.cwd());
  const out = options.out ?? (options.json ? 'asyncapi.json' : 'asyncapi.yaml');
  const path = resolve(cwd, out);
  return { cwd, path, display: relative(cwd, path) || out, format: options.json ? 'json' : formatOf(out) };
}

/** Generates, prints the diagnostics, and gives up (undefined) when one is an error. */
async function generateReported(options: DocsOptions, io: DocsIo): Promise<GeneratedDocs | undefined> {
  const generated = await generateDocs({
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.stage ? { stage: options.stage } : {}),
  });
  for (const diagnostic of generated.diagnostics) io.err(formatDiagnostic(diagnostic));
  if (hasErrors(generated.diagnostics)) {
    io.err('docs: not written, the errors above would make the document describe the service wrongly');
    return undefined;
  }
  return generated;
}
