import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jarsDirectory } from '../../../../src/harness/local/broker/jars.js';
import { clearDevBrokers, readDevBrokers, saveDevBrokers } from '../../../../src/harness/local/dev-state.js';
import { userCacheDir, userStateDir } from '../../../../src/harness/local/user-dirs.js';

describe('per-user folders', () => {
  it('caches under $KAFKA_LAMBDA_ROUTER_CACHE_DIR, else $XDG_CACHE_HOME, else ~/.cache', () => {
    expect(userCacheDir({ KAFKA_LAMBDA_ROUTER_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(userCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/kafka-lambda-router');
    expect(userCacheDir({})).toBe(join(homedir(), '.cache', 'kafka-lambda-router'));
  });

  it('keeps the broker jars in the cache folder, per Kafka version, unless KAFKA_JARS_DIR says otherwise', () => {
    expect(jarsDirectory({ XDG_CACHE_HOME: '/x' })).toMatch(/^\/x\/kafka-lambda-router\/kafka-\d+\.\d+\.\d+\/libs$/);
    expect(jarsDirectory({ KAFKA_JARS_DIR: '/jars', XDG_CACHE_HOME: '/x' })).toBe('/jars');
  });

  it('keeps state under $KAFKA_LAMBDA_ROUTER_STATE_DIR, else $XDG_STATE_HOME, else ~/.local/state', () => {
    expect(userStateDir({ KAFKA_LAMBDA_ROUTER_STATE_DIR: '/s' })).toBe('/s');
    expect(userStateDir({ XDG_STATE_HOME: '/x' })).toBe('/x/kafka-lambda-router');
    expect(userStateDir({})).toBe(join(homedir(), '.local', 'state', 'kafka-lambda-router'));
  });
});

describe('the running broker’s address (dev state)', () => {
  const env = () => ({ KAFKA_LAMBDA_ROUTER_STATE_DIR: mkdtempSync(join(tmpdir(), 'state-')) });

  it('is read back while its owner lives, and forgotten by its owner', () => {
    const e = env();
    expect(readDevBrokers(e)).toBeUndefined();
    saveDevBrokers(['127.0.0.1:9092'], e);
    expect(readDevBrokers(e)).toEqual(['127.0.0.1:9092']);
    clearDevBrokers(e);
    expect(readDevBrokers(e)).toBeUndefined();
  });

  it('is ignored once its owner is dead (a dev killed with SIGKILL leaves it behind)', async () => {
    const e = env();
    const { writeFileSync } = await import('node:fs');
    // pid 2^22 + 1 is above Linux's pid_max: no such process.
    writeFileSync(join(e.KAFKA_LAMBDA_ROUTER_STATE_DIR, 'running-broker.json'), JSON.stringify({ brokers: ['a:1'], pid: 4_194_305 }));
    expect(readDevBrokers(e)).toBeUndefined();
  });
});
