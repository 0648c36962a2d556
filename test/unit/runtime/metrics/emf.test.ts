import { readFileSync } from 'node:fs';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Ajv } from 'ajv';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { createMemoryPublisher } from '../../../../src/harness/testing/memory-publisher.js';
import { PermanentError, PublishError } from '../../../../src/runtime/errors/index.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { emfMetrics, oldestRecordAge } from '../../../../src/runtime/metrics/emf.js';
import type { DispatchReport } from '../../../../src/runtime/router/dispatch.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { lambdaContext } from '../../../support/lambda.js';

// The JSON schema AWS publishes with the EMF specification, kept as published (source URL in its $comment).
// It does not express the specification's rule that every dimension and metric a directive names is a root
// member (string and number), so targetsPresent checks that.
const emfSchema = JSON.parse(readFileSync(new URL('../../../fixtures/emf/schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv().compile(emfSchema);

type Document = Record<string, unknown> & {
  _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
};

/** Every target member a directive names is present at the root, as the specification requires. */
function targetsPresent(doc: Document): boolean {
  return doc._aws.CloudWatchMetrics.every(
    (directive) =>
      directive.Dimensions.flat().every((name) => typeof doc[name] === 'string') &&
      directive.Metrics.every((metric) => typeof doc[metric.Name] === 'number'),
  );
}

function setup(options: { failFlush?: boolean } = {}) {
  const lines: string[] = [];
  let report: DispatchReport | undefined;
  const router = createRouter({
    routes: [
      defineRoute({
        topic: 'orders',
        name: 'validate',
        deadLetter: true,
        retry: { attempts: 1 },
        publishes: [to('orders.ok')],
        handle: (value: { n: number }) => {
          if (value.n === 2) throw new PermanentError('bad');
          return value;
        },
      }),
      defineRoute({ topic: 'stock', name: 'reserve', handle: () => undefined }),
    ],
    unmatched: 'skip',
    logger: silentLogger,
  });
  const publisher = createMemoryPublisher({ fail: () => (options.failFlush ? new PublishError('no') : undefined) });
  const handler = createKafkaHandler(router, {
    publisher,
    metrics: emfMetrics({ namespace: 'Shop', functionName: 'validateOrders', write: (text) => lines.push(text) }),
    onReport: (r) => {
      report = r;
    },
  });
  return { handler, lines, report: () => report as DispatchReport };
}

const documents = (lines: string[]) =>
  lines
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Document);

describe('emfMetrics', () => {
  it('is checked by a schema that rejects what CloudWatch would not extract', () => {
    const doc = (unit: string, dimensions: string[][]) => ({
      _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'Shop', Dimensions: dimensions, Metrics: [{ Name: 'M', Unit: unit }] }] },
      route: 'r',
      M: 1,
    });
    expect(validate(doc('Count', [['route']]))).toBe(true);
    expect(validate(doc('Millis', [['route']]))).toBe(false);
    expect(validate(doc('Count', []))).toBe(false);
    expect(validate(doc('Count', [Array.from({ length: 10 }, (_, i) => `d${i}`)]))).toBe(false);
  });

  it('writes valid EMF in one write: per route counts equal to the dispatch report, timings per function, no partition dimension', async () => {
    const { handler, lines, report } = setup();
    const now = Date.now();
    await handler(
      buildKafkaEvent(
        [
          { topic: 'orders', value: { n: 1 } },
          { topic: 'orders', partition: 1, value: { n: 2 } },
          { topic: 'orders', partition: 1, value: null },
          { topic: 'stock', value: 1 },
          { topic: 'nobody', value: 1 },
        ],
        { timestamp: now - 5_000 },
      ),
      lambdaContext(),
    );
    expect(lines).toHaveLength(1);
    const docs = documents(lines);
    for (const doc of docs) {
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(targetsPresent(doc)).toBe(true);
      expect(doc._aws.CloudWatchMetrics[0]?.Dimensions.flat()).not.toContain('partition');
    }
    const byRoute = Object.fromEntries(docs.filter((d) => 'route' in d).map((d) => [d.route, d]));
    expect(byRoute.validate).toMatchObject({
      function: 'validateOrders',
      RecordsIn: 3,
      RecordsHandled: 1,
      RecordsDeadLettered: 1,
      RecordsSkipped: 1,
      RecordsFailed: 0,
      OutputsPublished: 1,
    });
    expect(byRoute.reserve).toMatchObject({ RecordsIn: 1, RecordsHandled: 1, OutputsPublished: 0 });
    expect(byRoute['(unmatched)']).toMatchObject({ RecordsIn: 1, RecordsSkipped: 1 });
    const sum = (name: string) =>
      docs.reduce((total, d) => total + (typeof d[name] === 'number' && 'route' in d ? (d[name] as number) : 0), 0);
    const { totals } = report();
    expect([sum('RecordsIn'), sum('RecordsHandled'), sum('RecordsDeadLettered'), sum('RecordsSkipped'), sum('RecordsFailed')]).toEqual([
      totals.records,
      totals.handled,
      totals.deadLettered,
      totals.skipped,
      totals.failed,
    ]);
    const timings = docs.find((d) => !('route' in d));
    expect(timings?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['function']]);
    expect(timings?.OldestRecordAge).toBeGreaterThanOrEqual(5_000);
    expect(timings?.HandlerTime).toBeGreaterThanOrEqual(0);
    expect(timings?.FlushTime).toBeGreaterThanOrEqual(0);
  });

  it('counts no published outputs when the flush fails, and still writes the invocation', async () => {
    const { handler, lines } = setup({ failFlush: true });
    await expect(handler(buildKafkaEvent([{ topic: 'orders', value: { n: 1 } }]), lambdaContext())).rejects.toThrow(PublishError);
    const validate = documents(lines).find((d) => d.route === 'validate');
    expect(validate).toMatchObject({ RecordsIn: 1, RecordsHandled: 1, OutputsPublished: 0 });
  });
});

describe('emfMetrics with Powertools Metrics', () => {
  it("adds the invocation's counts and timings to the user's Metrics: its one flush writes one EMF line with both", async () => {
    const metrics = new Metrics({ namespace: 'Shop', serviceName: 'orders' });
    let report: DispatchReport | undefined;
    const router = createRouter({
      routes: [
        defineRoute({
          topic: 'orders',
          name: 'validate',
          deadLetter: true,
          retry: { attempts: 1 },
          publishes: [to('orders.ok')],
          handle: (value: { n: number }) => {
            if (value.n === 2) throw new PermanentError('bad');
            metrics.addMetric('OrdersValidated', 'Count', 1);
            return value;
          },
        }),
        defineRoute({ topic: 'stock', name: 'reserve', handle: () => undefined }),
      ],
      logger: silentLogger,
    });
    const handler = createKafkaHandler(router, {
      publisher: createMemoryPublisher(),
      metrics: emfMetrics({ powertools: metrics }),
      onReport: (r) => {
        report = r;
      },
    }).use(logMetrics(metrics));
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await handler(
        buildKafkaEvent([
          { topic: 'orders', value: { n: 1 } },
          { topic: 'orders', value: { n: 2 } },
          { topic: 'stock', value: 1 },
        ]),
        lambdaContext(),
      );
    } finally {
      stdout.mockRestore();
    }
    const emf = documents(written).filter((doc) => '_aws' in doc);
    expect(emf).toHaveLength(1);
    const [doc] = emf as [Document];
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(targetsPresent(doc)).toBe(true);
    expect(doc._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Shop', Dimensions: [['service']] });
    const { totals } = report as DispatchReport;
    expect(doc).toMatchObject({
      service: 'orders',
      OrdersValidated: 1,
      RecordsIn: totals.records,
      RecordsHandled: totals.handled,
      RecordsDeadLettered: totals.deadLettered,
      RecordsFailed: totals.failed,
      RecordsSkipped: totals.skipped,
      OutputsPublished: 1,
    });
    expect([totals.records, totals.handled, totals.deadLettered]).toEqual([3, 2, 1]);
    expect(doc.HandlerTime).toBeGreaterThanOrEqual(0);
    expect(doc.FlushTime).toBeGreaterThanOrEqual(0);
    expect(doc.OldestRecordAge).toBeGreaterThanOrEqual(0);
  });

  it("takes no namespace, function name or writer next to powertools (those are the Metrics object's)", () => {
    const metrics = new Metrics({ namespace: 'Shop' });
    // @ts-expect-error the user's Metrics owns the namespace
    emfMetrics({ powertools: metrics, namespace: 'Other' });
    expectTypeOf(emfMetrics).toBeCallableWith({ powertools: metrics });
  });
});

describe('oldestRecordAge', () => {
  it('is now minus the earliest timestamp over all lanes, never negative, undefined without records', () => {
    const lanes = [{ records: [{ timestamp: 900 }, { timestamp: 950 }] }, { records: [{ timestamp: 800 }] }];
    expect(oldestRecordAge(lanes, 1_000)).toBe(200);
    expect(oldestRecordAge([{ records: [{ timestamp: 2_000 }] }], 1_000)).toBe(0);
    expect(oldestRecordAge([], 1_000)).toBeUndefined();
  });
});
