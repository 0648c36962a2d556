import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reloadableFunction } from '../../../../src/harness/local/emulator/functions.js';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { localLambdaContext } from '../../../../src/harness/testing/lambda-context.js';
import { ROOT } from '../../../support/cli.js';

// A throwaway function (entry + handler module) under .cache/, edited between invocations.
const dir = join(ROOT, '.cache', `reload-test-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeHandlerModule = (reply: string) =>
  writeFileSync(join(dir, 'greeting.ts'), `export const greeting = (): string => ${JSON.stringify(reply)};\n`);

describe('dev mode reload', () => {
  it('re-imports a function with a fresh module graph, so an edited handler module takes effect in-process', async () => {
    mkdirSync(dir, { recursive: true });
    writeHandlerModule('hello');
    writeFileSync(
      join(dir, 'entry.ts'),
      [
        "import { greeting } from './greeting.js';",
        'export const handler = async () => ({ batchItemFailures: [], greeting: greeting() });',
        '',
      ].join('\n'),
    );
    const fn = await reloadableFunction({
      name: 'reloadable',
      handler: `.cache/reload-test-${process.pid}/entry.handler`,
      timeout: 5,
      eventSources: [],
    });
    const invoke = async () =>
      (await fn.invoke(buildKafkaEvent([{ topic: 't', value: 1 }]), localLambdaContext('reloadable', 5_000))) as unknown as {
        greeting: string;
      };

    expect((await invoke()).greeting).toBe('hello');
    writeHandlerModule('hello again');
    expect((await invoke()).greeting).toBe('hello'); // no reload yet: the old graph stays
    await fn.reload();
    expect((await invoke()).greeting).toBe('hello again');
  });
});
