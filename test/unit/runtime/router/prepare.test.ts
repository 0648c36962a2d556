import { describe, expect, it } from 'vitest';
import { RegistryUnavailableError } from '../../../../src/runtime/errors/index.js';
import type { Codec, EncodeTarget } from '../../../../src/runtime/event/codec.js';
import { publisherPreparation } from '../../../../src/runtime/router/prepare.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { run } from '../../../support/router.js';

// A publisher codec that must be readied (as registry codecs are), failing the first `failures` times.
const preparing = (failures: Array<() => unknown> = []) => {
  const targets: EncodeTarget[] = [];
  const codec: Codec<never> = {
    name: 'prepared',
    decode: () => {
      throw new Error('not used');
    },
    encode: (value) => JSON.stringify(value),
    prepare: async (target) => {
      targets.push(target);
      const fail = failures.shift();
      if (fail) throw fail();
    },
  };
  return { codec, targets };
};

describe('publisherPreparation', () => {
  it('has nothing to wait for when no publisher codec needs readying', () => {
    expect(publisherPreparation([to('a'), to('b')])()).toBeUndefined();
  });

  it('readies each codec once for its topic’s values, then has nothing to wait for', async () => {
    const { codec, targets } = preparing();
    const prepare = publisherPreparation([to('plain'), to('registered', { codec })]);
    await prepare();
    expect(prepare()).toBeUndefined();
    expect(targets).toEqual([{ topic: 'registered', part: 'value' }]);
  });

  it('reports a failure as RegistryUnavailableError (not the record’s fault), and tries again next time', async () => {
    const cause = new Error('connect ECONNREFUSED');
    const { codec, targets } = preparing([() => cause]);
    const prepare = publisherPreparation([to('registered', { codec })]);
    const error = await prepare()?.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect((error as Error).message).toBe("Cannot publish to 'registered' yet: Error: connect ECONNREFUSED");
    expect((error as Error).cause).toBe(cause);
    await prepare();
    expect(targets).toHaveLength(2);
  });

  it('passes a RegistryUnavailableError through as it is', async () => {
    const own = new RegistryUnavailableError('registry answered 503');
    const { codec } = preparing([() => own]);
    await expect(publisherPreparation([to('registered', { codec })])()).rejects.toBe(own);
  });
});

describe('routes with a publisher codec to ready', () => {
  it('handle records once the codec is ready, next to plain publishers', async () => {
    const { codec } = preparing();
    const route = defineRoute({ topic: 't', publishes: [to('plain'), to('registered', { codec })], handle: (value: unknown) => value });
    const report = await run({ routes: [route] }, [{ topic: 't', value: 1 }]);
    expect(report.messages.map((m) => [m.topic, m.value?.toString()])).toEqual([
      ['plain', '1'],
      ['registered', '1'],
    ]);
  });
});
