import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where `npm run dev` leaves the bootstrap address for `npm run produce` and other terminals.
const STATE_FILE = join(fileURLToPath(new URL('../../../', import.meta.url)), '.cache', 'dev-brokers');

/** Records the running dev broker's address. */
export function saveDevBrokers(brokers: readonly string[]): void {
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, `${brokers.join(',')}\n`);
}

/** The running dev broker's address, if `npm run dev` is up. */
export function readDevBrokers(): string[] | undefined {
  try {
    const brokers = readFileSync(STATE_FILE, 'utf8').trim().split(',').filter(Boolean);
    return brokers.length > 0 ? brokers : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the dev broker (on shutdown). */
export function clearDevBrokers(): void {
  rmSync(STATE_FILE, { force: true });
}
