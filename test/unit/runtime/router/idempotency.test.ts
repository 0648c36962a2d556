import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { describe, expect, it, vi } from 'vitest';
import type { EventMessage } from '../../../../src/harness/testing/build-event.js';
import { ConfigError, IdempotencyError, PermanentError } from '../../../../src/runtime/errors/index.js';
import { idempotent } from '../../../../src/runtime/router/idempotency.js';
import { encodeLineage, messageIdText } from '../../../../src/runtime/router/lineage-compact.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import type { OutboundMessage } from '../../../../src/runtime/router/outbox.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { fromStorable, toStorable } from '../../../../src/runtime/router/storable.js';
import { ROOT } from '../../../support/cli.js';
import { lambdaContext } from '../../../support/lambda.js';
import { MemoryPersistenceLayer } from '../../../support/memory-idempotency-store.js';
import { run } from '../../../support/router.js';

/** Module URLs a fresh Node process resolves while running `script` (ESM, cwd = repository root). */
function importedBy(script: string): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'imports-')), 'log');
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/record-imports.mjs', '--input-type=module', '-e', script],
    { cwd: ROOT, env: { ...process.env, IMPORT_LOG: log }, encoding: 'utf8' },
  );
  expect(result.stderr).toBe('');
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('idempotent()', () => {
  it('does not load Powertools until a record is handled (cold start unchanged), and names no optional dependency itself', () => {
    const setup = `const { idempotent } = await import('./src/runtime/index.ts');
      const handle = idempotent(() => 1, { name: 'x', powertools: () => import('@aws-lambda-powertools/idempotency'), persistenceStore: () => { throw new Error('no store here'); } });`;
    const powertools = (urls: string[]) => urls.filter((url) => url.includes('@aws-lambda-powertools/idempotency'));
    expect(powertools(importedBy(setup))).toEqual([]);
    // Handling a record does load it (so the check above can fail).
    const handled = importedBy(`${setup}
      await handle(1, { record: { topic: 't', partition: 0, offset: 0 }, headers: { get: () => undefined }, remainingTimeMs: () => 1e9 }).catch(() => undefined);`);
    expect(powertools(handled).length).toBeGreaterThan(0);
  });

  it('needs a name for its keys', () => {
    const unused = () => Promise.reject(new Error('unused'));
    expect(() => idempotent(() => undefined, { name: ' ', powertools: unused, persistenceStore: unused })).toThrow(ConfigError);
  });
});

it('rejects a powertools loader that does not give the library', async () => {
  const handle = idempotent(() => 1, {
    name: 'x',
    powertools: async () => ({}),
    persistenceStore: async () => ({}) as never,
  });
  const ctx = { record: { topic: 't', partition: 0, offset: 0 }, headers: { get: () => undefined }, remainingTimeMs: () => 1e9 };
  await expect(handle(1, ctx as never)).rejects.toThrow(/options.powertools must load/);
});

describe('storable outputs', () => {
  it('tags bytes in a fixed, persisted format (stored records outlive deployments)', () => {
    expect(toStorable(Buffer.from([0, 1]))).toEqual({ $kafkaLambdaRouterBytes: 'AAE=' });
  });

  it('walks plain and null-prototype objects only; other objects are left to JSON', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { raw: Buffer.from('x') });
    expect(fromStorable(JSON.parse(JSON.stringify(toStorable(bare))))).toEqual({ raw: Buffer.from('x') });
    const when = new Date('2026-01-01T00:00:00.000Z');
    expect(fromStorable(JSON.parse(JSON.stringify(toStorable({ when }))))).toEqual({ when: '2026-01-01T00:00:00.000Z' });
  });

  it('treats undefined as JSON does: an undefined array item comes back null, an undefined key not at all', () => {
    const value = { list: [1, undefined], gone: undefined, bytes: Buffer.from('x') };
    expect(fromStorable(JSON.parse(JSON.stringify(toStorable(value))))).toStrictEqual({ list: [1, null], bytes: Buffer.from('x') });
  });

  it('takes an object for bytes only when the tag is its sole key', () => {
    const data = { $kafkaLambdaRouterBytes: 'AAE=', other: 1 };
    expect(fromStorable(JSON.parse(JSON.stringify(toStorable(data))))).toEqual(data);
  });

  it('keeps Buffers (top level and nested) through a JSON round trip, and plain data as is', () => {
    const value = { id: 'a', bytes: Buffer.from([0, 255]), list: [Buffer.from('x'), 1, null], nested: { when: '2026-01-01' } };
    const back = fromStorable(JSON.parse(JSON.stringify(toStorable(value))));
    expect(back).toEqual(value);
    expect(fromStorable(JSON.parse(JSON.stringify(toStorable(Buffer.from('raw')))))).toEqual(Buffer.from('raw'));
    expect(fromStorable(JSON.parse(JSON.stringify(toStorable('text'))))).toBe('text');
  });
});

describe('idempotent() over Powertools, with the store in memory', () => {
  const powertools = () => import('@aws-lambda-powertools/idempotency');
  const setup = (options: { name?: string; expiresAfterSeconds?: number; inProgressExpiryMs?: number; failWith?: () => unknown } = {}) => {
    const store = new MemoryPersistenceLayer();
    const calls: number[] = [];
    const seen: Array<Record<string, unknown>> = [];
    const route = defineRoute({
      topic: 'payments',
      name: 'charge',
      publishes: [to('receipts'), to('audit')],
      handle: idempotent(
        async (payment: { id: string }, ctx) => {
          calls.push(ctx.record.offset);
          seen.push({
            key: ctx.key,
            trace: ctx.headers.get('trace'),
            attempt: ctx.attempt,
            remaining: ctx.remainingTimeMs(),
            logger: ctx.logger,
          });
          if (options.failWith) throw options.failWith();
          ctx.publish('audit', { charged: payment.id, raw: Buffer.from([0, 255]) }, { key: Buffer.from([7]), headers: { kind: 'audit' } });
          ctx.publish('audit', { second: payment.id });
          return { receipt: payment.id };
        },
        {
          name: options.name ?? 'charge',
          powertools,
          persistenceStore: () => store,
          ...(options.expiresAfterSeconds !== undefined ? { expiresAfterSeconds: options.expiresAfterSeconds } : {}),
          ...(options.inProgressExpiryMs !== undefined ? { inProgressExpiryMs: options.inProgressExpiryMs } : {}),
        },
      ),
    });
    return { store, calls, seen, route };
  };
  const outputs = (report: { messages: readonly OutboundMessage[] }) =>
    report.messages.map((m) => ({
      topic: m.topic,
      key: m.key?.toString('hex'),
      value: m.value?.toString(),
      headers: m.headers.map(([name, value]) => `${name}=${value.toString()}`),
    }));
  const payment = (id: string, extra: Partial<EventMessage> = {}): EventMessage => ({
    topic: 'payments',
    key: id,
    value: { id },
    ...extra,
  });

  it('runs the handler once per message; a redelivery republishes the same outputs, returned value included', async () => {
    const { store, calls, route } = setup();
    const first = await run({ routes: [route] }, [payment('a'), payment('b')]);
    const again = await run({ routes: [route] }, [payment('a'), payment('b')]);
    expect(calls).toEqual([0, 1]);
    expect(first.totals.handled).toBe(2);
    expect(outputs(again)).toEqual(outputs(first));
    expect(
      outputs(first)
        .filter((o) => o.topic === 'receipts')
        .map((o) => o.value),
    ).toEqual(['{"receipt":"a"}', '{"receipt":"b"}']);
    const audit = outputs(first).find((o) => o.topic === 'audit');
    expect([audit?.key, audit?.value, audit?.headers[0]]).toEqual([
      '07',
      '{"charged":"a","raw":{"type":"Buffer","data":[0,255]}}',
      'kind=audit',
    ]);
    expect(store.records.size).toBe(2);
  });

  it('hands the handler the record’s key, headers, attempt, logger and remaining time', async () => {
    const { seen, route } = setup();
    await run({ routes: [route] }, [payment('a', { headers: { trace: 't-1' } })], lambdaContext({ remainingMs: () => 42_000 }));
    expect(seen).toEqual([{ key: 'a', trace: 't-1', attempt: 1, remaining: 42_000, logger: silentLogger }]);
  });

  it('knows a message by its x-message-id, else by its coordinates', async () => {
    const { calls, route } = setup();
    // The same upstream message at two offsets: one run. Two messages with other ids: two runs.
    await run({ routes: [route] }, [
      payment('a', { offset: 0, headers: { 'x-message-id': 'm-1' } }),
      payment('a', { offset: 1, headers: { 'x-message-id': 'm-1' } }),
      payment('a', { offset: 2, headers: { 'x-message-id': 'm-2' } }),
    ]);
    expect(calls).toEqual([0, 2]);
    // Without ids, every offset is its own message.
    const other = setup();
    await run({ routes: [other.route] }, [payment('x'), payment('x'), payment('x', { partition: 1 })]);
    expect(other.calls.sort()).toEqual([0, 0, 1]);
  });

  it('knows a message by the id in a compact x-lineage header as by the same id in x-message-id', async () => {
    const { calls, route } = setup();
    const id = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
    const lineage = encodeLineage({ sourceTopic: 'upstream', sourcePartition: 0, sourceOffset: 9, messageId: id });
    await run({ routes: [route] }, [
      payment('a', { offset: 0, headers: { 'x-lineage': lineage } }),
      payment('a', { offset: 1, headers: { 'x-message-id': messageIdText(id) } }),
      payment('a', {
        offset: 2,
        headers: {
          'x-lineage': encodeLineage({ sourceTopic: 'upstream', sourcePartition: 0, sourceOffset: 10, messageId: new Uint8Array(16) }),
        },
      }),
    ]);
    expect(calls).toEqual([0, 2]);
  });

  it('stores a message under the key Powertools derives from its message key alone, so stored records outlive deployments', async () => {
    const { store, route } = setup();
    await run({ routes: [route] }, [payment('a', { headers: { 'x-message-id': 'm-1' } })]);
    // Powertools' key: `<keyPrefix>#` + base64 MD5 of the JSON of the JMESPath result ("id:m-1"), computed once by hand.
    expect([...store.records.keys()]).toEqual(['charge#z0cBdRiQsi14RXXG7cwcbg==']);
  });

  it('keeps a handled message for expiresAfterSeconds (default one hour)', async () => {
    for (const [expiresAfterSeconds, expected] of [
      [undefined, 3_600],
      [120, 120],
    ] as const) {
      const { store, route } = setup(expiresAfterSeconds === undefined ? {} : { expiresAfterSeconds });
      const before = Math.floor(Date.now() / 1000);
      await run({ routes: [route] }, [payment('a')]);
      const [record] = [...store.records.values()];
      expect(record?.getStatus()).toBe('COMPLETED');
      expect((record?.expiryTimestamp ?? 0) - before).toBeGreaterThanOrEqual(expected);
      expect((record?.expiryTimestamp ?? 0) - before).toBeLessThanOrEqual(expected + 2);
    }
  });

  it('stores nothing when the handler throws, and passes its error through untouched', async () => {
    const own = new PermanentError('card declined');
    const { store, calls, route } = setup({ failWith: () => own });
    const report = await run({ routes: [route] }, [payment('a')]);
    expect(report.failures[0]?.error).toBe(own);
    expect(store.records.size).toBe(0);
    await run({ routes: [route] }, [payment('a')]);
    expect(calls).toEqual([0, 0]);
  });

  it('fails the attempt with a retryable IdempotencyError naming the record when the store is down', async () => {
    const { store, calls, route } = setup();
    store.down = new Error('connection refused');
    const report = await run({ routes: [route] }, [payment('a')]);
    const error = report.failures[0]?.error as IdempotencyError;
    expect(error).toBeInstanceOf(IdempotencyError);
    expect(error.permanent).toBe(false);
    expect(error.message).toMatch(/^The idempotency store failed: IdempotencyPersistenceLayerError: .* \(at payments-0@0\)$/);
    expect(error.at).toMatchObject({ topic: 'payments', partition: 0, offset: 0 });
    expect((error.cause as Error).name).toBe('IdempotencyPersistenceLayerError');
    expect(calls).toEqual([]);
  });

  it('marks a record in progress for the invocation’s remaining time, capped by inProgressExpiryMs (default 60 s)', async () => {
    for (const [inProgressExpiryMs, remaining, expected] of [
      [undefined, 5_000, 5_000],
      [undefined, 600_000, 60_000],
      [1_000, 5_000, 1_000],
    ] as const) {
      const store = new MemoryPersistenceLayer();
      let markedFor = 0;
      const handle = idempotent(
        async () => {
          const [record] = [...store.records.values()];
          markedFor = (record?.inProgressExpiryTimestamp ?? 0) - Date.now();
        },
        { name: 'mark', powertools, persistenceStore: () => store, ...(inProgressExpiryMs ? { inProgressExpiryMs } : {}) },
      );
      await run({ routes: [defineRoute({ topic: 'payments', handle })] }, [payment('a')], lambdaContext({ remainingMs: () => remaining }));
      expect(markedFor).toBeGreaterThan(expected - 1_000);
      expect(markedFor).toBeLessThanOrEqual(expected);
    }
  });

  it('waits out an attempt still marked in progress (a crashed container), then runs the handler', async () => {
    const { store, calls, route } = setup();
    await run({ routes: [route] }, [payment('a')]);
    const [key] = [...store.records.keys()];
    if (!key) throw new Error('no record');
    store.records.set(key, inProgress(key, Date.now() + 300));
    const report = await run({ routes: [route] }, [payment('a')]);
    expect(report.totals.handled).toBe(1);
    expect(calls).toEqual([0, 0]);
  });

  it('stops waiting, with an IdempotencyError, once the mark outlives inProgressExpiryMs or the invocation nears its end', async () => {
    for (const [options, remaining, waitedAtLeast] of [
      [{ inProgressExpiryMs: 100 }, 60_000, 300],
      // 800 ms left is not more than four polls: no wait.
      [{}, 800, 0],
    ] as const) {
      const { store, calls, route } = setup(options);
      await run({ routes: [route] }, [payment('a')]);
      const [key] = [...store.records.keys()];
      if (!key) throw new Error('no record');
      store.records.set(key, inProgress(key, Date.now() + 60_000));
      const started = Date.now();
      const report = await run(
        { routes: [route], retry: { attempts: 1 }, reserveMs: 0 },
        [payment('a')],
        lambdaContext({ remainingMs: () => remaining }),
      );
      const error = report.failures[0]?.error as IdempotencyError;
      expect(error).toBeInstanceOf(IdempotencyError);
      expect(error.message).toMatch(/^An earlier attempt of this record is still in progress \(waited \d+ ms\) \(at payments-0@0\)$/);
      const waited = Number(/waited (\d+) ms/.exec(error.message)?.[1]);
      expect(waited).toBeGreaterThanOrEqual(waitedAtLeast);
      expect(waited).toBeLessThanOrEqual(Date.now() - started);
      expect((error.cause as Error).name).toBe('IdempotencyAlreadyInProgressError');
      expect(calls).toEqual([0]);
    }
  });

  it('waits out a mark for inProgressExpiryMs plus one 200 ms poll, to the millisecond, and no longer (fake clock)', async () => {
    const { store, calls, route } = setup({ inProgressExpiryMs: 200 });
    await run({ routes: [route] }, [payment('a')]);
    const [key] = [...store.records.keys()];
    expect(key).toBeDefined();
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    try {
      store.records.set(key as string, inProgress(key as string, Date.now() + 60_000));
      const pending = run(
        { routes: [route], retry: { attempts: 1 }, reserveMs: 0 },
        [payment('a')],
        lambdaContext({ remainingMs: () => 60_000 }),
      );
      await vi.runAllTimersAsync();
      const report = await pending;
      // Tries at 0, 200 and 400 ms: at 400 the mark has outlived 200 ms + one poll.
      const error = report.failures[0]?.error;
      expect(error).toBeInstanceOf(IdempotencyError);
      expect((error as IdempotencyError).message).toMatch(/ \(waited 400 ms\) /);
      expect(calls).toEqual([0]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a store that cannot be set up as IdempotencyError, and tries again on the next record', async () => {
    let attempts = 0;
    const handle = idempotent(async () => undefined, {
      name: 'setup',
      powertools,
      persistenceStore: () => {
        attempts++;
        throw new Error('no REDIS_URL');
      },
    });
    const report = await run({ routes: [defineRoute({ topic: 'payments', handle, retry: { attempts: 1 } })] }, [payment('a')]);
    const error = report.failures[0]?.error as IdempotencyError;
    expect(error).toBeInstanceOf(IdempotencyError);
    expect(error.message).toBe("Cannot set up the idempotency store for 'setup': Error: no REDIS_URL (at payments-0@0)");
    expect((error.cause as Error).message).toBe('no REDIS_URL');
    await run({ routes: [defineRoute({ topic: 'payments', handle, retry: { attempts: 1 } })] }, [payment('b')]);
    expect(attempts).toBe(2);
  });

  it('passes a setup ConfigError through as a ConfigError: a loader that gives only part of the library', async () => {
    for (const library of [{ makeIdempotent: () => undefined }, { IdempotencyConfig: class {} }, undefined]) {
      const handle = idempotent(async () => undefined, {
        name: 'x',
        powertools: async () => library,
        persistenceStore: () => new MemoryPersistenceLayer(),
      });
      const report = await run({ routes: [defineRoute({ topic: 'payments', handle, retry: { attempts: 1 } })] }, [payment('a')]);
      expect(report.failures[0]?.error).toBeInstanceOf(ConfigError);
      expect((report.failures[0]?.error as Error | undefined)?.message).toBe(
        "idempotent(): options.powertools must load '@aws-lambda-powertools/idempotency' (makeIdempotent, IdempotencyConfig)",
      );
    }
  });

  it('refuses a missing or blank name when the route is defined', () => {
    const unused = () => Promise.reject(new Error('unused'));
    const refusal = new ConfigError('idempotent(): options.name must name the handler (it prefixes its keys in the store)');
    for (const options of [{}, { name: 5 }, { name: '' }, { name: ' ' }]) {
      expect(() => idempotent(() => undefined, { powertools: unused, persistenceStore: unused, ...options } as never)).toThrow(refusal);
    }
    expect(() => idempotent(() => undefined, undefined as never)).toThrow(refusal);
  });
});

function inProgress(idempotencyKey: string, until: number): IdempotencyRecord {
  return new IdempotencyRecord({
    idempotencyKey,
    status: 'INPROGRESS',
    expiryTimestamp: Math.floor(Date.now() / 1000) + 3_600,
    inProgressExpiryTimestamp: until,
  });
}
