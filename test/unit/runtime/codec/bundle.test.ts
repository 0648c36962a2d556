import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleIsolated } from '../../../../bench/lib/bundle.js';

// Powertools Idempotency too: idempotent() leaves importing it to the user, so the runtime never names it.
const HEAVY = ['avsc', 'protobufjs', 'ajv', 'long', '@aws-sdk/client-glue', '@aws-lambda-powertools/idempotency'];
const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// esbuild bundles every import() it can see, even in code it tree-shakes away: the codecs must stay
// out of the runtime's main entry for JSON-only functions to stay small (esbuild's metafile tells).
describe('bundles (esbuild metafile)', () => {
  it.each(['validate-orders', 'reserve-stock', 'notify-customers'])(
    'the example function %s contains no schema-registry library',
    async (name) => {
      const bundle = await bundleIsolated(path(`../../../../functions/${name}.ts`));
      expect(bundle.packages.filter((p) => HEAVY.includes(p))).toEqual([]);
    },
  );

  it('a function using avro() carries avsc and none of the other format libraries', async () => {
    const bundle = await bundleIsolated(path('../../../fixtures/bundles/avro-function.ts'));
    expect(bundle.packages.filter((p) => HEAVY.includes(p))).toEqual(['avsc']);
  });
});
