import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineBatchRoute, defineRoute, type Route } from '../../../../src/runtime/router/route.js';
import { createRouter, type RouterOptions } from '../../../../src/runtime/router/router.js';

const noop = () => undefined;
const build =
  (routes: Route[], extra: Partial<RouterOptions> = {}) =>
  () =>
    createRouter({ routes, unmatched: 'fail', ...extra });

describe('createRouter rejects conflicts when it is built', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['no routes', build([]), /at least one route/],
    [
      'two routes on one topic',
      build([
        defineRoute({ topic: 'a', name: 'first', handle: noop }),
        defineBatchRoute({ topic: 'a', name: 'second', handleBatch: noop }),
      ]),
      /'first' and 'second' both consume topic 'a'/,
    ],
    [
      'the same pattern twice',
      build([defineRoute({ topic: /^a/, handle: noop }), defineRoute({ topic: /^a/, handle: noop })]),
      /both consume the pattern/,
    ],
    ['a stateful pattern', build([defineRoute({ topic: /a/g, handle: noop })]), /g or y flag/],
    ['an empty topic', build([defineRoute({ topic: '', handle: noop })]), /empty topic/],
    [
      'an unknown lineage mode',
      // @ts-expect-error: only 'headers' and 'compact' exist; a plain-JS caller may still pass anything.
      build([defineRoute({ topic: 'a', lineage: 'binary', handle: noop })]),
      /lineage must be 'headers' or 'compact'/,
    ],
    [
      'a dead-letter topic equal to its own topic',
      build([defineRoute({ topic: 'a', deadLetter: 'a', handle: noop })]),
      /cannot be the topic it consumes/,
    ],
    ['publishing to its own topic', build([defineRoute({ topic: 'a', publishes: [to('a')], handle: noop })]), /loops forever/],
    [
      'the same publisher twice',
      build([defineRoute({ topic: 'a', publishes: [to('b'), to('b')], handle: noop })]),
      /publisher topic 'b' twice/,
    ],
    [
      'a schema that is not a Standard Schema',
      build([defineRoute({ topic: 'a', schema: { parse: noop } as never, handle: noop })]),
      /not a Standard Schema/,
    ],
    ['a hand-made route object', build([{ topic: 'a', handle: noop } as unknown as Route]), /defineRoute or defineBatchRoute/],
    [
      'an unknown unmatched policy',
      build([defineRoute({ topic: 'a', handle: noop })], { unmatched: 'drop' as never }),
      /'unmatched' must be/,
    ],
    ['a bad concurrency', build([defineRoute({ topic: 'a', handle: noop })], { concurrency: 0 }), /concurrency/],
    ['a bad retry policy', build([defineRoute({ topic: 'a', retry: { attempts: 0 }, handle: noop })]), /attempts/],
    [
      'a topic that is neither a name nor a RegExp',
      build([defineRoute({ topic: 5 as never, handle: noop })]),
      /^Route '5': topic must be a string or a RegExp$/,
    ],
    [
      'a record route without handle',
      build([defineRoute({ topic: 'a', handle: undefined as never })]),
      /^Route 'a' has no handle function$/,
    ],
    [
      'a batch route without handleBatch',
      build([defineBatchRoute({ topic: 'a', handleBatch: undefined as never })]),
      /^Route 'a' has no handleBatch function$/,
    ],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
    try {
      make();
    } catch (error) {
      if (!(error instanceof RangeError)) expect(error).toBeInstanceOf(ConfigError);
    }
  });

  it('accepts an exact topic that a pattern also matches (exact wins at dispatch)', () => {
    const router = createRouter({
      routes: [defineRoute({ topic: /^a/, handle: noop }), defineRoute({ topic: 'ab', handle: noop })],
      unmatched: 'skip',
    });
    expect(router.table.resolve('ab')?.name).toBe('ab');
    expect(router.table.resolve('ax')?.name).toBe('/^a/');
    expect(router.table.resolve('b')).toBeUndefined();
  });

  it('knows when it needs a publisher', () => {
    const schema = z.object({});
    expect(createRouter({ routes: [defineRoute({ topic: 'a', schema, handle: noop })], unmatched: 'skip' }).needsPublisher).toBe(false);
    expect(createRouter({ routes: [defineRoute({ topic: 'a', deadLetter: true, handle: noop })], unmatched: 'skip' }).needsPublisher).toBe(
      true,
    );
    expect(createRouter({ routes: [defineRoute({ topic: 'a', handle: noop })], unmatched: { deadLetter: 'x' } }).needsPublisher).toBe(true);
    // One publishing route among quiet ones is enough.
    const mixed = [defineRoute({ topic: 'a', handle: noop }), defineRoute({ topic: 'b', publishes: [to('c')], handle: noop })];
    expect(createRouter({ routes: mixed, unmatched: 'skip' }).needsPublisher).toBe(true);
  });

  it('tells patterns apart by source and flags', () => {
    const router = createRouter({
      routes: [
        defineRoute({ topic: /^a/, handle: noop }),
        defineRoute({ topic: /^a/i, handle: noop }),
        defineRoute({ topic: /^b/, handle: noop }),
      ],
      unmatched: 'skip',
    });
    expect(['ax', 'AX', 'bx'].map((topic) => router.table.resolve(topic)?.name)).toEqual(['/^a/', '/^a/i', '/^b/']);
  });
});
