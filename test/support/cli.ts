import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type { ServerlessRun as CliResult } from '../../src/harness/local/serverless-cli.js';
/** The real `serverless` (osls) CLI, offline (the product's own runner). */
export { runServerless as serverless } from '../../src/harness/local/serverless-cli.js';
