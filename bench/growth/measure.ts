import type { Context } from 'aws-lambda';
import type { KafkaEvent } from '../../src/runtime/event/types.js';
import { createKafkaHandler } from '../../src/runtime/lambda/handler.js';
import { toTopicMessages } from '../../src/runtime/publish/messages.js';
import type { DispatchReport } from '../../src/runtime/router/dispatch.js';
import { silentLogger } from '../../src/runtime/router/logger.js';
import type { MessagePublisher } from '../../src/runtime/router/outbox.js';
import { createRouter } from '../../src/runtime/router/router.js';
import { measureInterleaved, pairedMedianRatio, type Sample } from '../lib/stats.js';
import { type GrowthCase, type GrowthTopics, growthEvent, growthRoute, poisonCount } from './cases.js';

/** Where a curve's outbox goes: the CPU floor publisher, or the real local broker through our Kafka publisher. */
export type GrowthSink = 'cpu' | 'broker';

/** One measured curve: nanoseconds per record for each batch size, rounds interleaved across the sizes. */
export interface GrowthCurve {
  readonly case: GrowthCase;
  readonly sink: GrowthSink;
  /** By batch size, in the order measured. */
  readonly points: ReadonlyMap<number, Sample>;
}

/** How many rounds, and how many records each variant covers per round (small batches repeat invocations). */
export interface GrowthSettings {
  readonly warmup: number;
  readonly samples: number;
  readonly recordsPerSample: number;
}

const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'bench' } as unknown as Context;

/**
 * The floor for the CPU curves: our own last step before kafkajs (the outbox grouped into kafkajs messages by
 * topic, `toTopicMessages`) and nothing after it, so everything a curve times is our code and the handler's.
 */
export function conversionFloorPublisher(): MessagePublisher & { readonly messages: number } {
  let messages = 0;
  return {
    get messages() {
      return messages;
    },
    async publish(outbox) {
      for (const topic of toTopicMessages(outbox)) messages += topic.messages.length;
    },
  };
}

/**
 * Times one case at every size, interleaved (each round runs every size, starting one size later than the
 * round before), so the ratio of two sizes is taken round by round. Every invocation is checked against what
 * the case must produce (handled, dead-lettered, messages), so a curve cannot silently measure less work.
 */
export async function measureCurve(
  c: GrowthCase,
  sink: GrowthSink,
  sizes: readonly number[],
  publisher: MessagePublisher,
  topics: GrowthTopics,
  settings: GrowthSettings,
): Promise<GrowthCurve> {
  let report: DispatchReport | undefined;
  const router = createRouter({ routes: [growthRoute(c, topics)], unmatched: 'fail', logger: silentLogger });
  const handler = createKafkaHandler(router, {
    publisher,
    onReport: (r) => {
      report = r;
    },
  });
  const variants = sizes.map((size) => {
    const event: KafkaEvent = growthEvent(size, c.partitions, c.deadLetters);
    const invocations = Math.max(1, Math.ceil(settings.recordsPerSample / size));
    const poison = poisonCount(size, c.deadLetters);
    const expected = { handled: size - poison, deadLettered: poison, messages: (size - poison) * c.outputs + poison };
    return {
      name: String(size),
      run: async () => {
        for (let i = 0; i < invocations; i++) {
          const response = await handler(event, context);
          const totals = report?.totals;
          const messages = report?.messages.length;
          if (response.batchItemFailures.length || totals?.handled !== expected.handled || totals.deadLettered !== expected.deadLettered)
            throw new Error(`growth ${sink} ${JSON.stringify(c)} at ${size}: unexpected outcome ${JSON.stringify(totals)}`);
          if (messages !== expected.messages) throw new Error(`growth ${sink} ${JSON.stringify(c)} at ${size}: ${messages} messages`);
        }
        return size * invocations;
      },
    };
  });
  const samples = await measureInterleaved(variants, { warmup: settings.warmup, samples: settings.samples, passes: 1 });
  return { case: c, sink, points: new Map(sizes.map((size) => [size, samples.get(String(size)) as Sample])) };
}

/** Per-record cost at `size` ÷ per-record cost at `reference`, the median of the round-by-round ratios. */
export function growthRatio(curve: GrowthCurve, size: number, reference: number): number {
  return pairedMedianRatio(curve.points.get(size), curve.points.get(reference));
}
