import { trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ConfigError } from '../../runtime/errors/index.js';
import type { TraceExport } from './trace-target.js';

/** The SDK packages an export needs, for the error that says what to install. */
const SDK = '@opentelemetry/sdk-trace-base';
const OTLP = '@opentelemetry/exporter-trace-otlp-http';

/** Loads an optional package by name; replaced in tests to see the missing-package error. */
export type PackageLoader = (name: string) => Promise<unknown>;

/**
 * Registers an OpenTelemetry SDK tracer provider for this process, so the
 * functions the emulator runs emit their spans. The SDK (and the OTLP exporter)
 * are the user's optional peer dependencies, loaded here only when asked for;
 * they are never part of a function bundle.
 */
export async function exportTraces(exportTo: TraceExport, load: PackageLoader = (name) => import(name)): Promise<() => Promise<void>> {
  const needs = exportTo.to === 'otlp' ? [SDK, OTLP] : [SDK];
  const loadOrExplain = async (name: string) => {
    try {
      return await load(name);
    } catch (error) {
      throw new ConfigError(`--traces ${exportTo.to} needs ${needs.join(' and ')}: npm install -D ${needs.join(' ')}`, {
        cause: error,
      });
    }
  };
  const sdk = (await loadOrExplain(SDK)) as typeof import('@opentelemetry/sdk-trace-base');
  let processor: InstanceType<typeof sdk.SimpleSpanProcessor> | InstanceType<typeof sdk.BatchSpanProcessor>;
  if (exportTo.to === 'otlp') {
    const otlp = (await loadOrExplain(OTLP)) as { OTLPTraceExporter: new (config?: { url?: string }) => SpanExporter };
    // Batched: one request per batch rather than per span; shutdown flushes what is left.
    processor = new sdk.BatchSpanProcessor(new otlp.OTLPTraceExporter(exportTo.url ? { url: exportTo.url } : {}));
  } else {
    processor = new sdk.SimpleSpanProcessor(new sdk.ConsoleSpanExporter());
  }
  const provider = new sdk.BasicTracerProvider({ spanProcessors: [processor] });
  trace.setGlobalTracerProvider(provider);
  return async () => {
    await provider.shutdown();
    trace.disable();
  };
}
