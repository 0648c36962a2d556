// Type tests: tsc checks the @ts-expect-error lines; vitest runs the expectTypeOf calls.
import type { Context } from 'aws-lambda';
import { describe, expectTypeOf, it } from 'vitest';
import { handler as validateOrders } from '../../../../functions/validate-orders.js';
import { createTestBroker, type DeadLetterHeaders, type TestBroker } from '../../../../src/harness/testing/index.js';

describe('test broker typing promises', () => {
  it('takes Lambda entries made with createKafkaHandler, and refuses other functions at compile time', async () => {
    const broker = await createTestBroker({ handlers: [validateOrders] });
    expectTypeOf(broker).toEqualTypeOf<TestBroker>();
    const plainLambda = async (_event: { Records: unknown[] }, _context: Context) => ({ statusCode: 200 });
    // @ts-expect-error a handler that is not a Kafka handler made by createKafkaHandler
    await createTestBroker({ handlers: [plainLambda] }).catch(() => undefined);
    // @ts-expect-error not a function at all
    await createTestBroker({ handlers: ['validate-orders'] }).catch(() => undefined);
  });

  it('types dead letters’ Spring headers', () => {
    expectTypeOf<DeadLetterHeaders['originalPartition']>().toEqualTypeOf<number>();
    expectTypeOf<DeadLetterHeaders['originalOffset']>().toEqualTypeOf<number>();
    expectTypeOf<ReturnType<TestBroker['deadLetters']>[number]['deadLetter']>().toEqualTypeOf<DeadLetterHeaders>();
  });
});
