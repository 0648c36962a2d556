import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../../../src/harness/testing/build-event.js';
import { IdempotencyError, PermanentError } from '../../../../src/runtime/errors/index.js';
import { idempotent } from '../../../../src/runtime/router/idempotency.js';
import { LINEAGE_HEADERS } from '../../../../src/runtime/router/lineage.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { type RunningRedis, startRedis } from '../../../support/redis.js';
import { run } from '../../../support/router.js';
import { waitFor } from '../../../support/run-cli.js';

// Powertools Idempotency over a real redis-server (Debian's), as a deployed function would use ElastiCache.
let redis: RunningRedis;
let client: ReturnType<typeof createClient>;
beforeAll(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
});
afterAll(async () => {
  await client?.close();
  await redis?.stop();
});

const store = () => new CachePersistenceLayer({ client });
const powertools = () => import('@aws-lambda-powertools/idempotency');
let routeCount = 0;
/** A route whose handler counts its side effect in Redis, publishes one message and returns another. */
function chargeRoute(options: { inProgressExpiryMs?: number; failFirst?: number; hang?: Set<number> } = {}) {
  const name = `charge-${++routeCount}-${Date.now()}`;
  let calls = 0;
  const route = defineRoute({
    name,
    topic: 'payments',
    publishes: [to('receipts'), to('audit')],
    handle: idempotent(
      async (payment: unknown, ctx) => {
        calls++;
        if (options.hang?.has(ctx.record.offset)) await new Promise(() => undefined); // a container that died here
        await client.incr(`${name}:effects:${(payment as { id: string }).id}`);
        if (options.failFirst && calls <= options.failFirst) throw new Error('the card network timed out');
        ctx.publish('audit', { charged: (payment as { id: string }).id, bytes: Buffer.from([0, 1, 2]) }, { key: Buffer.from('k') });
        return { receipt: (payment as { id: string }).id };
      },
      {
        name,
        powertools,
        persistenceStore: store,
        ...(options.inProgressExpiryMs ? { inProgressExpiryMs: options.inProgressExpiryMs } : {}),
      },
    ),
  });
  const effects = async (id: string) => Number((await client.get(`${name}:effects:${id}`)) ?? 0);
  return { route, effects, calls: () => calls };
}

const payments = (ids: string[], headers?: (id: string) => Record<string, string>): EventMessage[] =>
  ids.map((id) => ({ topic: 'payments', key: id, value: { id }, ...(headers ? { headers: headers(id) } : {}) }));
const outputs = (report: Awaited<ReturnType<typeof run>>) =>
  report.messages.map((m) => ({
    topic: m.topic,
    key: m.key?.toString('hex'),
    value: m.value?.toString('utf8'),
    id: m.headers.find(([name]) => name === LINEAGE_HEADERS.messageId)?.[1].toString('utf8'),
  }));

describe('idempotent() with Powertools Idempotency on Redis', () => {
  it('runs the side effect once when the same batch is delivered again, and republishes identical outputs', async () => {
    const { route, effects, calls } = chargeRoute();
    const first = await run({ routes: [route] }, payments(['p1', 'p2']));
    const again = await run({ routes: [route] }, payments(['p1', 'p2']));
    expect(calls()).toBe(2);
    expect([await effects('p1'), await effects('p2')]).toEqual([1, 1]);
    expect(outputs(again)).toEqual(outputs(first));
    expect(outputs(first)).toHaveLength(6); // per record: the published audit entry, then the return value to both publishers
    expect(outputs(first)[0]).toMatchObject({
      topic: 'audit',
      key: '6b',
      value: JSON.stringify({ charged: 'p1', bytes: Buffer.from([0, 1, 2]) }),
    });
  });

  it('treats an upstream duplicate at another offset as the same message (by x-message-id)', async () => {
    const { route, effects } = chargeRoute();
    const sameId = () => ({ [LINEAGE_HEADERS.messageId]: 'upstream-message-1' });
    await run({ routes: [route] }, payments(['dup', 'dup'], sameId));
    expect(await effects('dup')).toBe(1);
    // Without an id, each offset is its own message.
    const { route: plain, effects: plainEffects } = chargeRoute();
    await run({ routes: [plain] }, payments(['twice', 'twice']));
    expect(await plainEffects('twice')).toBe(2);
  });

  it('stores nothing when the handler throws, so the retry runs it again (and its error is untouched)', async () => {
    const { route, effects, calls } = chargeRoute({ failFirst: 1 });
    const report = await run({ routes: [route] }, payments(['retry']));
    expect(report.failures).toEqual([]);
    expect(calls()).toBe(2);
    expect(await effects('retry')).toBe(2); // the effect ran before the throw: not the layer's to undo
    const permanent = defineRoute({
      topic: 'payments',
      handle: idempotent(
        () => {
          throw new PermanentError('card declined');
        },
        { name: `declined-${Date.now()}`, powertools, persistenceStore: store },
      ),
    });
    const declined = await run({ routes: [permanent] }, payments(['x']));
    expect(declined.failures[0]?.error).toBeInstanceOf(PermanentError);
  });

  it('waits out an attempt that died mid-handler, then runs the handler', async () => {
    const hang = new Set([0]);
    const { route, effects, calls } = chargeRoute({ inProgressExpiryMs: 600, hang });
    const started = Date.now();
    void run({ routes: [route] }, payments(['crash'])); // never finishes: the record stays "in progress"
    // The handler is entered only once Powertools has stored the record as in progress.
    await waitFor(() => calls() === 1, 30_000, 'the first attempt to enter the handler');
    hang.clear();
    const redelivered = await run({ routes: [route] }, payments(['crash']));
    expect(redelivered.failures).toEqual([]);
    // Stored after `started`, the in-progress record expires 600 ms later at the earliest: the redelivery waited it out.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(calls()).toBe(2);
    expect(await effects('crash')).toBe(1);
  });

  it('fails the attempt with a typed, retryable error when the store is down', async () => {
    const down = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: false } });
    const route = defineRoute({
      topic: 'payments',
      handle: idempotent(() => undefined, {
        name: `down-${Date.now()}`,
        powertools,
        persistenceStore: async () => new CachePersistenceLayer({ client: await down.connect() }),
      }),
    });
    const report = await run({ routes: [route] }, payments(['y']));
    const error = report.failures[0]?.error;
    expect(error).toBeInstanceOf(IdempotencyError);
    expect(error instanceof IdempotencyError && error.permanent).toBe(false);
  });

  it('leaves the record for redelivery when the store is down, even on a route with a dead-letter topic', async () => {
    const down = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: false } });
    const route = defineRoute({
      topic: 'payments',
      deadLetter: true,
      handle: idempotent(() => undefined, {
        name: `down-dlt-${Date.now()}`,
        powertools,
        persistenceStore: async () => new CachePersistenceLayer({ client: await down.connect() }),
      }),
    });
    const report = await run({ routes: [route] }, payments(['z']));
    expect(report.messages.filter((m) => m.kind === 'dead-letter')).toEqual([]);
    expect(report.failures[0]?.error).toBeInstanceOf(IdempotencyError);
  });
});
