import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
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

// The structure CloudWatch's EMF specification requires ("Specification: Embedded metric format",
// docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
// transcribed as JSON Schema: _aws with an integer Timestamp and MetricDirectives of a Namespace, at most 30
// dimension names per set, and metric definitions whose Unit is one of CloudWatch's units.
const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
];
const EMF_SCHEMA = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      required: ['Timestamp', 'CloudWatchMetrics'],
      additionalProperties: false,
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: {
          type: 'array',
          items: {
            type: 'object',
            required: ['Namespace', 'Dimensions', 'Metrics'],
            additionalProperties: false,
            properties: {
              Namespace: { type: 'string', minLength: 1, maxLength: 1024 },
              Dimensions: {
                type: 'array',
                items: { type: 'array', maxItems: 30, items: { type: 'string', minLength: 1, maxLength: 250 } },
              },
              Metrics: {
                type: 'array',
                maxItems: 100,
                items: {
                  type: 'object',
                  required: ['Name'],
                  additionalProperties: false,
                  properties: {
                    Name: { type: 'string', minLength: 1, maxLength: 1024 },
                    Unit: { enum: UNITS },
                    StorageResolution: { enum: [1, 60] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
const validate = new Ajv({ strict: false }).compile(EMF_SCHEMA);

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

describe('oldestRecordAge', () => {
  it('is now minus the earliest timestamp over all lanes, never negative, undefined without records', () => {
    const lanes = [{ records: [{ timestamp: 900 }, { timestamp: 950 }] }, { records: [{ timestamp: 800 }] }];
    expect(oldestRecordAge(lanes, 1_000)).toBe(200);
    expect(oldestRecordAge([{ records: [{ timestamp: 2_000 }] }], 1_000)).toBe(0);
    expect(oldestRecordAge([], 1_000)).toBeUndefined();
  });
});
