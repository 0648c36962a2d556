import { serviceModelFrom } from '../../src/harness/docs/collect.js';
import type { Diagnostic } from '../../src/harness/docs/diagnostics.js';
import type { ServiceModel } from '../../src/harness/docs/model.js';
import type { ResolvedServerlessConfig } from '../../src/harness/local/emulator/serverless-config.js';
import { createMemoryPublisher } from '../../src/harness/testing/memory-publisher.js';
import { createKafkaHandler } from '../../src/runtime/lambda/handler.js';
import { silentLogger } from '../../src/runtime/router/logger.js';
import type { Route } from '../../src/runtime/router/route.js';
import { createRouter, type UnmatchedPolicy } from '../../src/runtime/router/router.js';

/** A function of a test service: its routes and its serverless.yml events, as `serverless print` would give them. */
export interface TestFunction {
  readonly name: string;
  readonly routes?: readonly Route[];
  readonly unmatched?: UnmatchedPolicy;
  readonly events: Array<Record<string, Record<string, unknown>>>;
  readonly environment?: Record<string, string>;
}

/** An `msk` event on the example's cluster. */
export const mskEvent = (topic: string, extra: Record<string, unknown> = {}) => ({
  msk: {
    arn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/abc-1',
    topic,
    batchSize: 100,
    startingPosition: 'TRIM_HORIZON',
    ...extra,
  },
});

/** The service model of a printed configuration whose handlers are built from `functions` (no serverless CLI involved). */
export function serviceOf(
  functions: readonly TestFunction[],
  options: { stage?: string; providerEnvironment?: Record<string, string> } = {},
): Promise<{ model: ServiceModel; diagnostics: Diagnostic[] }> {
  const config: ResolvedServerlessConfig = {
    service: 'test-service',
    provider: { environment: options.providerEnvironment ?? { KAFKA_AUTH: 'iam' } },
    functions: Object.fromEntries(
      functions.map((fn) => [
        fn.name,
        { handler: `functions/${fn.name}.handler`, events: fn.events, ...(fn.environment ? { environment: fn.environment } : {}) },
      ]),
    ),
  };
  const handlers = new Map(
    functions.map((fn) => [
      `functions/${fn.name}.handler`,
      fn.routes
        ? createKafkaHandler(createRouter({ routes: fn.routes, unmatched: fn.unmatched ?? 'fail', logger: silentLogger }), {
            publisher: createMemoryPublisher(),
          })
        : async () => ({ batchItemFailures: [] }),
    ]),
  );
  return serviceModelFrom(config, { cwd: '/nonexistent', stage: options.stage ?? 'dev', load: async (handler) => handlers.get(handler) });
}
