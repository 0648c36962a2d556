import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Context } from 'aws-lambda';
import { buildKafkaEvent, type EventMessage } from '../../../src/harness/testing/build-event.js';
import {
  createKafkaHandler,
  createKafkaPublisher,
  createRouter,
  defineRoute,
  PermanentError,
  silentLogger,
  to,
} from '../../../src/runtime/index.js';
import { PROXY, type SuiteEnvironment } from './environment.js';
import { InjectedFaultError, ReliabilitySuiteError } from './errors.js';
import { mbPer10k, type SoakSample } from './slope.js';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  readonly invocations: number;
  /** Sample every this many invocations (default 1,000). */
  readonly sampleEvery?: number;
  /** Samples before this share of the run are warm-up (default 0.2). */
  readonly warmUp?: number;
  /** Force a reconnect (a flush that fails) every this many invocations (default 2,000). */
  readonly reconnectEvery?: number;
  readonly log?: (line: string) => void;
}

/** What the soak saw. */
export interface SoakResult {
  readonly invocations: number;
  readonly records: number;
  /** Records handled, dead-lettered and failed (reported for redelivery); flushes that failed; producer connects. */
  readonly outcomes: { handled: number; deadLettered: number; failed: number; flushFailures: number; connects: number };
  readonly samples: readonly SoakSample[];
  /** MB per 10,000 invocations after warm-up. */
  readonly slopes: { readonly heapUsed: number; readonly rss: number; readonly external: number };
  /** Active resources (handles) at the end of warm-up and the most at any later sample. */
  readonly handles: { readonly afterWarmUp: number; readonly maxLater: number; readonly endTypes: Readonly<Record<string, number>> };
  readonly durationMs: number;
}

const TOPIC = 'soak.orders';
const STRICT = 'soak.strict';
const OUT = 'soak.out';

/**
 * A warm container: one handler (router, Kafka publisher through the fault
 * proxy) invoked `invocations` times in this process with 8-record events:
 * successes, retried failures, poison records dead-lettered, records failing
 * their lane (partial batch responses) and, every `reconnectEvery`
 * invocations, a flush cut off by the proxy so the next invocation
 * reconnects. Memory and handles are sampled after forced GCs.
 */
export async function runSoak(env: SuiteEnvironment, options: SoakOptions): Promise<SoakResult> {
  const gc = garbageCollector();
  const log = options.log ?? (() => undefined);
  const sampleEvery = options.sampleEvery ?? 1_000;
  const reconnectEvery = options.reconnectEvery ?? 2_000;
  await env.admin
    .createTopics({
      topics: [OUT, `${TOPIC}.DLT`].map((topic) => ({ topic, numPartitions: 2 })),
      waitForLeaders: true,
    })
    .catch(() => undefined); // already there from an earlier soak on this broker

  const publisher = createKafkaPublisher({ brokers: env.publishBrokers, clientId: 'soak', deliveryTimeoutMs: 1_500, logger: silentLogger });
  const router = createRouter({
    unmatched: 'fail',
    logger: silentLogger,
    retry: { attempts: 2, initialDelayMs: 0, multiplier: 1, maxDelayMs: 0 },
    routes: [
      defineRoute({
        topic: TOPIC,
        deadLetter: true,
        publishes: [to(OUT)],
        handle(value: unknown, ctx) {
          const order = value as { id: number; kind: string };
          if (order.kind === 'flaky' && ctx.attempt === 1) throw new InjectedFaultError('flaky downstream');
          if (order.kind === 'rejected') throw new PermanentError(`order ${order.id} rejected`);
          return { id: order.id, total: order.id * 3 };
        },
      }),
      defineRoute({
        topic: STRICT,
        publishes: [to(OUT)],
        handle(value: unknown) {
          const order = value as { id: number; kind: string };
          if (order.kind === 'fail') throw new PermanentError(`order ${order.id} cannot be processed`);
          return { id: order.id };
        },
      }),
    ],
  });
  const outcomes = { handled: 0, deadLettered: 0, failed: 0, flushFailures: 0, connects: 0 };
  const handler = createKafkaHandler(router, {
    publisher,
    onReport: (report) => {
      outcomes.handled += report.totals.handled;
      outcomes.deadLettered += report.totals.deadLettered;
      outcomes.failed += report.totals.failed;
    },
  });
  const samples: SoakSample[] = [];
  let records = 0;
  const began = Date.now();

  for (let i = 0; i < options.invocations; i++) {
    const event = buildKafkaEvent(eventMessages(i));
    records += 8;
    const cutFlush = reconnectEvery > 0 && i > 0 && i % reconnectEvery === 0;
    if (cutFlush)
      await env.toxiproxy.addToxic(PROXY, { name: 'soak-reset', type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } });
    try {
      await handler(event, lambdaContext(i));
    } catch {
      outcomes.flushFailures++;
    } finally {
      if (cutFlush) await env.toxiproxy.removeToxic(PROXY, 'soak-reset');
    }
    if ((i + 1) % sampleEvery === 0) {
      samples.push(sample(i + 1, gc));
      if ((i + 1) % (sampleEvery * 10) === 0) {
        const last = samples.at(-1) as SoakSample;
        log(`  soak ${i + 1}: heap ${last.heapUsedMb.toFixed(1)} MB, rss ${last.rssMb.toFixed(1)} MB, ${last.activeResources} handles`);
      }
    }
  }
  outcomes.connects = publisher.connects;
  await publisher.close();

  const warm = samples.filter((s) => s.invocations > options.invocations * (options.warmUp ?? 0.2));
  const afterWarmUp = warm[0]?.activeResources ?? 0;
  const endTypes: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) endTypes[type] = (endTypes[type] ?? 0) + 1;
  return {
    invocations: options.invocations,
    records,
    outcomes,
    samples,
    slopes: {
      heapUsed: mbPer10k(warm, (s) => s.heapUsedMb),
      rss: mbPer10k(warm, (s) => s.rssMb),
      external: mbPer10k(warm, (s) => s.externalMb),
    },
    handles: { afterWarmUp, maxLater: Math.max(afterWarmUp, ...warm.map((s) => s.activeResources)), endTypes },
    durationMs: Date.now() - began,
  };
}

/** Invocation `i`'s 8 records: 6 orders over 2 partitions (some flaky, poison or rejected) and 2 strict records (some failing). */
function eventMessages(i: number): EventMessage[] {
  const messages: EventMessage[] = [];
  for (let n = 0; n < 6; n++) {
    const id = i * 8 + n;
    const kind = n === 1 && i % 10 === 0 ? 'flaky' : n === 2 && i % 25 === 0 ? 'rejected' : 'ok';
    const poison = n === 3 && i % 20 === 0;
    messages.push({
      topic: TOPIC,
      partition: n % 2,
      offset: i * 3 + Math.floor(n / 2),
      key: `customer-${id % 97}`,
      value: poison ? 'not json {' : { id, kind },
    });
  }
  for (let n = 0; n < 2; n++) {
    const id = i * 8 + 6 + n;
    messages.push({
      topic: STRICT,
      partition: 0,
      offset: i * 2 + n,
      key: `s-${id % 13}`,
      value: { id, kind: n === 0 && i % 50 === 0 ? 'fail' : 'ok' },
    });
  }
  return messages;
}

function lambdaContext(i: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'soak',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:soak',
    memoryLimitInMB: '1024',
    awsRequestId: `soak-${i}`,
    logGroupName: '/aws/lambda/soak',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** `global.gc` (node --expose-gc), or the same function exposed at run time through V8's flags. */
function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new ReliabilitySuiteError('cannot force a GC: run the soak with node --expose-gc');
  return gc as () => void;
}

function sample(invocations: number, gc: () => void): SoakSample {
  gc();
  gc();
  const memory = process.memoryUsage();
  const mb = (bytes: number) => bytes / 2 ** 20;
  return {
    invocations,
    rssMb: mb(memory.rss),
    heapUsedMb: mb(memory.heapUsed),
    externalMb: mb(memory.external + memory.arrayBuffers),
    activeResources: process.getActiveResourcesInfo().length,
  };
}
