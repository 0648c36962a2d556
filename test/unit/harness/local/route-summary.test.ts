import { describe, expect, it } from 'vitest';
import { observeRoutes } from '../../../../src/harness/local/route-summary.js';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { createMemoryPublisher } from '../../../../src/harness/testing/memory-publisher.js';
import { PermanentError } from '../../../../src/runtime/errors/index.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { lambdaContext } from '../../../support/lambda.js';

describe('observeRoutes', () => {
  it("adds up every invocation's route counts in the process, with no metrics option on the handler, until stopped", async () => {
    const router = createRouter({
      routes: [
        defineRoute({
          topic: 'orders',
          name: 'validate',
          deadLetter: true,
          retry: { attempts: 1 },
          publishes: [to('ok')],
          handle: (value: { n: number }) => {
            if (value.n < 0) throw new PermanentError('negative');
            return value;
          },
        }),
      ],
      unmatched: 'fail',
      logger: silentLogger,
    });
    const handler = createKafkaHandler(router, { publisher: createMemoryPublisher() });
    const summary = observeRoutes();
    try {
      await handler(
        buildKafkaEvent([
          { topic: 'orders', value: { n: 1 } },
          { topic: 'orders', value: { n: -1 } },
        ]),
        lambdaContext(),
      );
      await handler(
        buildKafkaEvent([
          { topic: 'orders', value: { n: 2 } },
          { topic: 'orders', value: null },
        ]),
        lambdaContext(),
      );
    } finally {
      summary.stop();
    }
    await handler(buildKafkaEvent([{ topic: 'orders', value: { n: 3 } }]), lambdaContext());
    expect(Object.fromEntries(summary.routes)).toEqual({
      validate: { RecordsIn: 4, RecordsHandled: 2, RecordsDeadLettered: 1, RecordsFailed: 0, RecordsSkipped: 1, OutputsPublished: 2 },
    });
  });
});
