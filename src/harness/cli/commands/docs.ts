import type { Command } from 'commander';
import type { CommandRegistration } from '../command.js';
import { wholeNumber } from '../command.js';
import { listenForStopRequests } from '../lifecycle.js';
import { locateService } from '../service.js';

interface DocsCliOptions {
  readonly stage?: string;
  readonly out?: string;
  readonly json?: boolean;
  readonly html?: boolean;
  readonly port?: number;
  readonly host?: string;
}

/** `docs gen|check|serve`: the AsyncAPI 3.0 document and page of the user's service (src/harness/docs). */
export const registerDocs: CommandRegistration = (program) => {
  const docs = program.command('docs').description('AsyncAPI 3.0 document of your service: gen, check, serve');
  const withCommon = (command: Command) =>
    command
      .option('-s, --stage <stage>', 'stage to resolve serverless.yml with (default: dev)')
      .option('-o, --out <file>', 'document path, relative to the service (default: asyncapi.yaml, or asyncapi.json)')
      .option('--json', 'write the document as JSON instead of YAML');
  withCommon(docs.command('gen').description('write the AsyncAPI document (and with --html the page)'))
    .option('--html', 'also write the HTML page next to the document')
    .action((options: DocsCliOptions) => runDocs('gen', options));
  withCommon(docs.command('check').description('exit 1 when the committed document is not what gen would write now')).action(
    (options: DocsCliOptions) => runDocs('check', options),
  );
  withCommon(docs.command('serve').description('serve the page and the document locally until stopped'))
    .option('-p, --port <port>', 'port (default 8000; 0 picks a free one)', wholeNumber(0))
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .action((options: DocsCliOptions) => runDocs('serve', options));
};

async function runDocs(command: 'gen' | 'check' | 'serve', options: DocsCliOptions): Promise<void> {
  const service = locateService({});
  // Handler modules are TypeScript in most services: load them through tsx, as dev and events do.
  const [{ register }, docs] = await Promise.all([import('tsx/esm/api'), import('../../docs/command.js')]);
  register();
  const common = {
    cwd: service.cwd,
    ...(options.stage ? { stage: options.stage } : {}),
    ...(options.out ? { out: options.out } : {}),
    ...(options.json ? { json: true } : {}),
  };
  if (command === 'gen') process.exitCode = await docs.docsGen({ ...common, ...(options.html ? { html: true } : {}) });
  else if (command === 'check') process.exitCode = await docs.docsCheck(common);
  else {
    const stop = listenForStopRequests();
    try {
      process.exitCode = await docs.docsServe({
        ...common,
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.host ? { host: options.host } : {}),
        signal: stop.signal,
      });
    } finally {
      stop.dispose();
    }
  }
}
