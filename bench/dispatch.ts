import { kafkaConsumer, SchemaType } from '@aws-lambda-powertools/kafka';
import type { Context } from 'aws-lambda';
import { createKafkaHandler, createRouter, defineRoute, silentLogger } from '../src/runtime/index.js';
import { benchEvent } from './lib/fixtures.js';
import { machineLine } from './lib/report.js';
import { formatNumber, measureInterleaved } from './lib/stats.js';

/** Options of {@link benchDispatch}. */
export interface DispatchBenchOptions {
  readonly smoke?: boolean;
}

const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'bench' } as unknown as Context;

/**
 * Issue 3's benchmark: per-record cost of (a) the decode floor, (b) our whole
 * Lambda handler with a no-op route, (c) Powertools' kafkaConsumer touching
 * key, value and headers, on the same 1,000-record event, interleaved.
 */
export async function benchDispatch(options: DispatchBenchOptions = {}): Promise<{ markdown: string; ratios: Record<string, number> }> {
  const event = benchEvent();
  const records = Object.values(event.records).flat();
  let sink = 0;

  const floor = {
    name: '(a) decode floor: Buffer.from(base64) + JSON.parse',
    run: () => {
      for (const record of records) sink ^= JSON.parse(Buffer.from(record.value as string, 'base64').toString('utf8')).id;
      return records.length;
    },
  };

  const router = createRouter({
    routes: [
      defineRoute({
        topic: 'orders',
        handle: (value: unknown) => {
          sink ^= (value as { id: number }).id;
        },
      }),
    ],
    unmatched: 'fail',
    logger: silentLogger,
  });
  const ours = createKafkaHandler(router);
  const ourDispatch = {
    name: '(b) kafka-lambda-router: full handler, no-op route',
    run: async () => {
      const response = await ours(event, context);
      if (response.batchItemFailures.length) throw new Error('unexpected failures');
      return records.length;
    },
  };

  const touchingRouter = createRouter({
    routes: [
      defineRoute({
        topic: 'orders',
        handle: (value: unknown, ctx) => {
          sink ^= (value as { id: number }).id;
          sink ^= (ctx.key as string).length;
          sink ^= ctx.headers.list.length + (ctx.headers.get('traceparent')?.length ?? 0);
        },
      }),
    ],
    unmatched: 'fail',
    logger: silentLogger,
  });
  const oursTouching = createKafkaHandler(touchingRouter);
  const ourDispatchTouching = {
    name: "(b') kafka-lambda-router: handler reads key and headers too",
    run: async () => {
      await oursTouching(event, context);
      return records.length;
    },
  };

  const powertools = kafkaConsumer<string, { id: number }>(
    async (consumerRecords) => {
      for (const record of consumerRecords.records) {
        sink ^= record.value.id;
        sink ^= (record.key as string).length;
        sink ^= Object.keys(record.headers ?? {}).length;
      }
    },
    { value: { type: SchemaType.JSON } },
  );
  const peer = {
    name: '(c) @aws-lambda-powertools/kafka kafkaConsumer (key, value, headers)',
    run: async () => {
      await powertools(event as Parameters<typeof powertools>[0], context);
      return records.length;
    },
  };

  const settings = options.smoke ? { warmup: 2, samples: 3, passes: 1 } : { warmup: 10, samples: 30, passes: 12 };
  const results = await measureInterleaved([floor, ourDispatch, ourDispatchTouching, peer], settings);
  const a = results.get(floor.name)?.median ?? Number.NaN;
  const b = results.get(ourDispatch.name)?.median ?? Number.NaN;
  const c = results.get(peer.name)?.median ?? Number.NaN;
  const b2 = results.get(ourDispatchTouching.name)?.median ?? Number.NaN;
  const ratios = { 'b/a': b / a, 'b/c': b / c, "b'/c": b2 / c };
  if (sink === 0.5) console.log(sink); // keep the work observable

  const rows = [...results].map(([name, s]) => `| ${name} | ${formatNumber(s.median)} | ${formatNumber(s.min)}–${formatNumber(s.max)} |`);
  const markdown = [
    '## Dispatch: per-record cost (issue 3)',
    '',
    `Command: \`npm run bench -- dispatch\` · ${machineLine()} · ${settings.samples} samples × ${settings.passes} passes after ${settings.warmup} warm-up passes, interleaved`,
    '',
    `Event: ${records.length} records over 4 partitions, ~1 KB JSON values (1 in 4 non-ASCII), 2 headers each.`,
    '',
    '| variant | ns/record (median) | min–max |',
    '|---|---:|---:|',
    ...rows,
    '',
    `| ratio | measured | target | met |`,
    '|---|---:|---:|---|',
    `| (b) / (a): ours vs decode floor | ${ratios['b/a'].toFixed(2)}× | ≤ 1.25× | ${ratios['b/a'] <= 1.25 ? 'yes' : '**no**'} |`,
    `| (b) / (c): ours vs Powertools | ${ratios['b/c'].toFixed(2)}× | ≤ 0.55× | ${ratios['b/c'] <= 0.55 ? 'yes' : '**no**'} |`,
    `| (b') / (c): ours reading key and headers too vs Powertools (same work) | ${ratios["b'/c"].toFixed(2)}× | – | – |`,
  ].join('\n');
  return { markdown, ratios };
}
