import fc from 'fast-check';
import { expect } from 'vitest';
import { createMemoryPublisher } from '../../src/harness/testing/memory-publisher.js';
import { KafkaRouterError } from '../../src/runtime/errors/index.js';
import { createKafkaHandler } from '../../src/runtime/lambda/handler.js';
import type { Logger } from '../../src/runtime/router/logger.js';
import { to } from '../../src/runtime/router/publishers.js';
import { defineRoute } from '../../src/runtime/router/route.js';
import { createRouter } from '../../src/runtime/router/router.js';
import { type MutableEvent, mutableEvent } from './events.js';

/** A value that must never appear in a log line, an error message or a dead letter's headers. */
export const SECRET = 'card=4111111111111111;cvv=737';

const LANES = ['orders-0', 'orders-1', 'payments-0'] as const;
const FIELDS = ['topic', 'partition', 'offset', 'timestamp', 'timestampType', 'key', 'value', 'headers', 'valueSchemaMetadata'] as const;

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(SECRET),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, 2 ** 63, -1, 1e300, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.array(fc.oneof(fc.integer({ min: -300, max: 300 }), fc.string({ maxLength: 2 }), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(
    fc.string({ maxLength: 3 }),
    fc.oneof(fc.integer(), fc.constant(SECRET), fc.array(fc.integer({ min: -300, max: 300 }), { maxLength: 3 })),
    { maxKeys: 2 },
  ),
);

/** One mutation confined to one record of one lane. */
const mutation = fc.record({
  lane: fc.constantFrom(...LANES),
  index: fc.nat({ max: 2 }),
  field: fc.constantFrom(...FIELDS, 'record', 'base64'),
  replacement: junk,
});

function baseEvent(): MutableEvent {
  const value = (n: number) => ({ n, note: n === 1 ? SECRET : 'plain' });
  return mutableEvent(
    LANES.flatMap((lane) => {
      const [topic, partition] = [lane.slice(0, lane.lastIndexOf('-')), Number(lane.slice(lane.lastIndexOf('-') + 1))];
      return [0, 1, 2].map((n) => ({ topic, partition, key: `k${n}`, value: value(n), headers: { 'x-correlation-id': `c${n}` } }));
    }),
  );
}

function mutate(
  event: MutableEvent,
  m: fc.Arbitrary<unknown> extends never ? never : { lane: string; index: number; field: string; replacement: unknown },
): void {
  const lane = event.records[m.lane] as unknown[];
  const record = lane[m.index] as Record<string, unknown>;
  if (m.field === 'record') lane[m.index] = m.replacement;
  else if (m.field === 'base64') record.value = `${SECRET}%%`;
  else if (m.replacement === undefined) delete record[m.field];
  else record[m.field] = m.replacement;
}

/**
 * For any mutation confined to one lane, a handler built as users build it
 * answers with a well-formed response or a typed error, handles every record of
 * the untouched lanes, and never writes the record value into a log line, an
 * error message or a dead letter's headers.
 */
export async function checkMutatedEvents(numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(mutation, fc.boolean(), async (m, deadLetter) => {
      const lines: string[] = [];
      const capture = (level: string) => (message: string, attributes?: Record<string, unknown>) =>
        void lines.push(JSON.stringify({ level, message, ...attributes }));
      const logger: Logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };
      const handled: string[] = [];
      const route = (topic: string) =>
        defineRoute({
          topic,
          deadLetter,
          retry: { attempts: 1 },
          publishes: [to(`${topic}.out`)],
          handle: (value: unknown, ctx) => {
            handled.push(`${ctx.record.lane}@${ctx.record.offset}`);
            return value;
          },
        });
      const publisher = createMemoryPublisher();
      const handler = createKafkaHandler(createRouter({ routes: [route('orders'), route('payments')], unmatched: 'fail', logger }), {
        publisher,
      });
      const event = baseEvent();
      mutate(event, m);
      let response: unknown;
      let thrown: unknown;
      try {
        response = await (handler as unknown as (event: unknown) => Promise<unknown>)(event);
      } catch (error) {
        thrown = error;
      }
      // A defect confined to one record is that lane's business: the event as a whole never throws for it.
      if (thrown !== undefined) {
        expect(thrown).toBeInstanceOf(KafkaRouterError);
        expect((thrown as Error).message).not.toContain(SECRET);
        expect.fail(`a record-level defect made the whole invocation throw: ${(thrown as Error).message}`);
      } else {
        const { batchItemFailures } = response as { batchItemFailures: Array<{ itemIdentifier: { partition: unknown; offset: unknown } }> };
        for (const { itemIdentifier } of batchItemFailures) {
          expect(LANES).toContain(itemIdentifier.partition);
          expect(Number.isSafeInteger(itemIdentifier.offset)).toBe(true);
        }
        // Every record of every untouched lane was handled.
        for (const lane of LANES.filter((l) => l !== m.lane))
          for (const offset of [0, 1, 2]) expect(handled).toContain(`${lane}@${offset}`);
        expect(batchItemFailures.map((f) => f.itemIdentifier.partition).every((p) => p === m.lane)).toBe(true);
      }
      for (const line of lines) expect(line).not.toContain(SECRET);
      for (const message of publisher.messages.filter((msg) => msg.kind === 'dead-letter')) {
        for (const [name, value] of message.headers)
          if (name !== 'x-dlt-invalid-headers') expect(value.toString('utf8')).not.toContain(SECRET);
      }
    }),
    { numRuns },
  );
}
