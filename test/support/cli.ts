import { fileURLToPath } from 'node:url';
import { runServerless, type ServerlessRun } from '../../src/harness/local/serverless-cli.js';
import { captureForSecretScan } from './secrets.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type { ServerlessRun as CliResult } from '../../src/harness/local/serverless-cli.js';

/**
 * The real `serverless` (osls) CLI, offline (the product's own runner), in the repository unless told
 * otherwise; what it prints goes to the end-of-run secret scan.
 */
export async function serverless(args: string[], options: Parameters<typeof runServerless>[1] = {}): Promise<ServerlessRun> {
  const result = await runServerless(args, { cwd: ROOT, ...options });
  captureForSecretScan(`serverless ${args.join(' ')}`, `${result.stdout}\n${result.stderr}`);
  return result;
}
