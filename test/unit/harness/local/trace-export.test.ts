import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportTraces } from '../../../../src/harness/local/trace-export.js';
import { buildKafkaEvent } from '../../../../src/harness/testing/build-event.js';
import { ConfigError } from '../../../../src/runtime/errors/index.js';
import { createKafkaHandler } from '../../../../src/runtime/lambda/handler.js';
import { silentLogger } from '../../../../src/runtime/router/logger.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { createRouter } from '../../../../src/runtime/router/router.js';
import { lambdaContext } from '../../../support/lambda.js';
import { startOtlpCollector } from '../../../support/otlp-collector.js';

const handler = () =>
  createKafkaHandler(
    createRouter({ routes: [defineRoute({ topic: 'orders', name: 'validate', handle: () => undefined })], logger: silentLogger }),
  );
const event = () => buildKafkaEvent([{ topic: 'orders', key: 'c-1', value: { n: 1 } }]);

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  vi.restoreAllMocks();
});

describe('exportTraces', () => {
  it("otlp: the router's spans reach an OTLP/HTTP collector as JSON by the time the export stops", async () => {
    const collector = await startOtlpCollector();
    try {
      stop = await exportTraces({ to: 'otlp', url: `${collector.url}/v1/traces` });
      await handler()(event(), lambdaContext());
      await stop();
      stop = undefined;
      expect(collector.requests[0]).toMatchObject({ path: '/v1/traces', contentType: 'application/json' });
      const record = collector.spans.find((span) => span.attributes['kafka_lambda_router.route'] === 'validate');
      expect(record).toMatchObject({
        name: 'process orders',
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': 'orders',
          'kafka.message.key': 'c-1',
          'kafka_lambda_router.outcome': 'handled',
        },
      });
      expect(collector.spans.find((span) => span.attributes['messaging.batch.message_count'] !== undefined)?.traceId).toMatch(
        /^[0-9a-f]{32}$/,
      );
    } finally {
      await collector.close();
    }
  });

  it("console: each of the router's spans is printed as it ends", async () => {
    const printed: unknown[] = [];
    vi.spyOn(console, 'dir').mockImplementation((item) => {
      printed.push(item);
    });
    stop = await exportTraces({ to: 'console' });
    await handler()(event(), lambdaContext());
    expect(printed).toContainEqual(
      expect.objectContaining({
        name: 'process orders',
        attributes: expect.objectContaining({ 'kafka_lambda_router.route': 'validate', 'kafka_lambda_router.outcome': 'handled' }),
      }),
    );
  });

  it('says which packages to install when the SDK or the OTLP exporter is missing', async () => {
    const missing = (absent: string) => async (name: string) => {
      if (name === absent) throw new Error(`Cannot find package '${name}'`);
      return import(name);
    };
    const otlp = exportTraces({ to: 'otlp' }, missing('@opentelemetry/exporter-trace-otlp-http'));
    await expect(otlp).rejects.toThrow(ConfigError);
    await expect(otlp).rejects.toThrow(
      '--traces otlp needs @opentelemetry/sdk-trace-base and @opentelemetry/exporter-trace-otlp-http: npm install -D @opentelemetry/sdk-trace-base @opentelemetry/exporter-trace-otlp-http',
    );
    await expect(exportTraces({ to: 'console' }, missing('@opentelemetry/sdk-trace-base'))).rejects.toThrow(
      '--traces console needs @opentelemetry/sdk-trace-base: npm install -D @opentelemetry/sdk-trace-base',
    );
  });
});
