import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as an OTLP/HTTP JSON export carries it, reduced to what the tests read. */
export interface CollectedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly attributes: Record<string, unknown>;
}

interface OtlpJsonExport {
  resourceSpans?: Array<{
    scopeSpans?: Array<{
      spans?: Array<{ name: string; traceId: string; attributes?: Array<{ key: string; value: Record<string, unknown> }> }>;
    }>;
  }>;
}

/**
 * A stand-in OpenTelemetry collector on 127.0.0.1: accepts OTLP/HTTP JSON
 * exports on `/v1/traces` and keeps their spans (protobuf bodies fail the test).
 */
export async function startOtlpCollector() {
  const spans: CollectedSpan[] = [];
  const requests: Array<{ path: string; contentType: string }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const contentType = request.headers['content-type'] ?? '';
      requests.push({ path: request.url ?? '', contentType });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJsonExport;
      for (const resource of body.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? [])
          for (const span of scope.spans ?? [])
            spans.push({
              name: span.name,
              traceId: span.traceId,
              attributes: Object.fromEntries((span.attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]])),
            });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The collector's base URL, as `OTEL_EXPORTER_OTLP_ENDPOINT` takes it. */
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
