import { homedir } from 'node:os';
import { join } from 'node:path';

const APP = 'kafka-lambda-router';

/**
 * The per-user cache folder (the Kafka broker jars): `$KAFKA_LAMBDA_ROUTER_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/kafka-lambda-router`, else `~/.cache/kafka-lambda-router`. Never inside node_modules:
 * a reinstall keeps the jars, and every project on the machine shares one copy.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KAFKA_LAMBDA_ROUTER_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), APP);
}

/**
 * The per-user state folder (where `dev` and `kafka` leave the running broker's address for `produce`):
 * `$KAFKA_LAMBDA_ROUTER_STATE_DIR`, else `$XDG_STATE_HOME/kafka-lambda-router`, else `~/.local/state/kafka-lambda-router`.
 */
export function userStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KAFKA_LAMBDA_ROUTER_STATE_DIR || join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), APP);
}
