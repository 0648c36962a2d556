import { parseArgs } from 'node:util';
import { docsCheck, docsGen, docsServe } from './command.js';

// `npm run docs:gen|docs:check|docs:serve -- [--stage s] [--out f] [--json] [--html] [--port n]`, until the package CLI mounts these commands.

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    stage: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    html: { type: 'boolean' },
    port: { type: 'string' },
    host: { type: 'string' },
  },
});
const options = {
  ...(values.stage ? { stage: values.stage } : {}),
  ...(values.out ? { out: values.out } : {}),
  ...(values.json ? { json: true } : {}),
  ...(values.html ? { html: true } : {}),
};
const command = positionals[0];
const run =
  command === 'gen'
    ? docsGen(options)
    : command === 'check'
      ? docsCheck(options)
      : command === 'serve'
        ? docsServe({ ...options, ...(values.port ? { port: Number(values.port) } : {}), ...(values.host ? { host: values.host } : {}) })
        : undefined;
if (!run) {
  process.stderr.write('usage: docs <gen|check|serve> [--stage <stage>] [--out <file>] [--json] [--html] [--port <n>] [--host <h>]\n');
  process.exitCode = 2;
} else {
  process.exitCode = await run.catch((error: unknown) => {
    // A readable line, not a stack: serverless.yml or a handler module could not be read.
    process.stderr.write(`docs: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
}
