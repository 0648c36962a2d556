import { Writable } from 'node:stream';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { createMemoryPublisher } from '../../../../src/harness/testing/memory-publisher.js';
import { PermanentError } from '../../../../src/runtime/errors/index.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { invocationLogger, toLogger } from '../../../../src/runtime/router/log-adapter.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { setEnv } from '../../../support/env.js';
import { lambdaContext } from '../../../support/lambda.js';
import { recordingLogger } from '../../../support/router.js';
import { captureSpans } from '../../../support/spans.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const poisonRoute = () =>
  defineRoute({
    topic: 'orders',
    name: 'validate',
    deadLetter: true,
    retry: { attempts: 1 },
    handle: () => {
      throw new PermanentError('bad order');
    },
  });
const SECRET_VALUE = 'card-4111111111111111';

describe('toLogger', () => {
  it('takes pino as it is: object first, message second, pino level names and its own level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = toLogger(pino({ level: 'warn' }, sink));
    logger.info('not at warn');
    logger.warn('record dead-lettered', { route: 'r', at: 't-0@1' });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 40, msg: 'record dead-lettered', route: 'r', at: 't-0@1' }),
    ]);
  });

  it("takes Powertools' Logger as it is (message first), and our entries come out in its JSON", () => {
    // Dev mode makes Powertools write through the global console, which the test can watch.
    const restore = setEnv({ POWERTOOLS_DEV: 'true' });
    const lines: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((line: string) => {
      lines.push(line);
    });
    try {
      const powertools = new PowertoolsLogger({ serviceName: 'shop', logLevel: 'DEBUG' });
      const logger = toLogger(powertools);
      expect(logger).toBe(powertools);
      logger.warn('record dead-lettered', { route: 'r' });
      expect(lines.map((line) => JSON.parse(line))).toEqual([
        expect.objectContaining({ level: 'WARN', message: 'record dead-lettered', route: 'r', service: 'shop' }),
      ]);
    } finally {
      restore();
    }
  });
});

describe('invocationLogger', () => {
  it('adds requestId and traceId to every entry, attributes after them', () => {
    const { logger, entries } = recordingLogger();
    const wrapped = invocationLogger(logger, { requestId: 'req-1', traceId: 'a'.repeat(32) });
    wrapped.warn('w', { route: 'r' });
    wrapped.info('i');
    expect(entries.map((e) => e.attributes)).toEqual([
      { requestId: 'req-1', traceId: 'a'.repeat(32), route: 'r' },
      { requestId: 'req-1', traceId: 'a'.repeat(32) },
    ]);
  });

  it('is the logger itself when there is nothing to add', () => {
    const { logger } = recordingLogger();
    expect(invocationLogger(logger, {})).toBe(logger);
  });

  it("a dead-lettered record's line through the handler: Lambda's fields, coordinates, route, trace id, never the value", async () => {
    const capture = captureSpans();
    try {
      const { logger, entries } = recordingLogger();
      const router = createRouter({ routes: [poisonRoute()], unmatched: 'fail', logger });
      const context = lambdaContext();
      await createKafkaHandler(router, { publisher: createMemoryPublisher() })(
        buildKafkaEvent([{ topic: 'orders', key: SECRET_VALUE, value: { card: SECRET_VALUE } }]),
        context,
      );
      const line = entries.find((e) => e.message === 'record dead-lettered');
      const invocation = capture.spans().find((s) => s.attributes['messaging.batch.message_count'] === 1);
      expect(line?.attributes).toMatchObject({
        requestId: context.awsRequestId,
        traceId: invocation?.spanContext().traceId,
        route: 'validate',
        at: 'orders-0@0',
      });
      expect(JSON.stringify(entries)).not.toContain(SECRET_VALUE);
    } finally {
      await capture.stop();
    }
  });
});
