import { trace } from '@opentelemetry/api';
import { ConfigError } from '../../runtime/errors/index.js';

/** Where `demo --traces` sends the router's spans. */
export type TraceExport = 'console';

/**
 * Registers an OpenTelemetry SDK tracer provider for this process, so the
 * functions the emulator runs emit their spans: `console` prints each span as
 * it ends. The SDK is loaded here, at run time, only when asked for; it is a
 * development dependency and never part of a function bundle.
 */
export async function exportTraces(to: TraceExport): Promise<() => Promise<void>> {
  let sdk: typeof import('@opentelemetry/sdk-trace-base');
  try {
    sdk = await import('@opentelemetry/sdk-trace-base');
  } catch (error) {
    throw new ConfigError(`--traces ${to} needs @opentelemetry/sdk-trace-base: npm install -D @opentelemetry/sdk-trace-base`, {
      cause: error,
    });
  }
  const provider = new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(new sdk.ConsoleSpanExporter())] });
  trace.setGlobalTracerProvider(provider);
  return async () => {
    await provider.shutdown();
    trace.disable();
  };
}
