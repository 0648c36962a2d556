import { describe, expect, it } from 'vitest';
import { conversionFloorPublisher, type GrowthCurve, growthRatio, measureCurve } from '../../../../bench/growth/measure.js';
import type { OutboundMessage } from '../../../../src/runtime/router/outbox.js';

const topics = { outputs: ['out-a', 'out-b', 'out-c'], deadLetter: 'orders.bench-DLT' };

describe('conversionFloorPublisher', () => {
  it('converts the outbox to kafkajs messages and keeps nothing but their count', async () => {
    const publisher = conversionFloorPublisher();
    const message = (topic: string): OutboundMessage => ({
      topic,
      key: null,
      value: Buffer.from('{}'),
      headers: [['x', Buffer.from('1')]],
      source: { topic: 'orders', partition: 0, offset: 1 },
      sequence: 0,
      kind: 'output',
    });
    await publisher.publish([message('a'), message('b'), message('a')], { bootstrapServers: [], eventSourceArn: undefined });
    await publisher.publish([message('c')], { bootstrapServers: [], eventSourceArn: undefined });
    expect(publisher.messages).toBe(4);
  });
});

describe('measureCurve', () => {
  it('times every batch size of a case, in as many rounds as asked, and counts each record once per invocation', async () => {
    const publisher = conversionFloorPublisher();
    const curve = await measureCurve({ route: 'batch', partitions: 4, deadLetters: true, outputs: 3 }, 'cpu', [1, 20], publisher, topics, {
      warmup: 1,
      samples: 3,
      recordsPerSample: 20,
    });
    expect([...curve.points.keys()]).toEqual([1, 20]);
    for (const sample of curve.points.values()) {
      expect(sample.n).toBe(3);
      expect(sample.median).toBeGreaterThan(0);
    }
    // 4 rounds (1 warm-up + 3); size 1: 20 invocations of 1 clean record (3 outputs each);
    // size 20: 1 invocation of 18 handled records (3 outputs each) and 2 dead letters.
    expect(publisher.messages).toBe(4 * (20 * 3 + (18 * 3 + 2)));
  });

  it('stops at a failed flush: a curve is never timed from invocations that did not publish', async () => {
    const failing = { publish: () => Promise.reject(new Error('broker down')) };
    await expect(
      measureCurve({ route: 'record', partitions: 1, deadLetters: false, outputs: 3 }, 'broker', [5], failing, topics, {
        warmup: 0,
        samples: 1,
        recordsPerSample: 5,
      }),
    ).rejects.toThrow(/broker down/);
  });
});

describe('growthRatio', () => {
  it('is the median of the round-by-round ratios of two sizes', () => {
    const sample = (values: number[]) => ({ median: 0, min: 0, max: 0, n: values.length, values });
    const curve: GrowthCurve = {
      case: { route: 'record', partitions: 1, deadLetters: false, outputs: 0 },
      sink: 'cpu',
      points: new Map([
        [100, sample([10, 20, 40])],
        [10_000, sample([11, 30, 40])],
      ]),
    };
    expect(growthRatio(curve, 10_000, 100)).toBeCloseTo(1.1);
    expect(growthRatio(curve, 10_000, 7)).toBeNaN();
  });
});
