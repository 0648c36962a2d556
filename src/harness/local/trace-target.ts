/**
 * Where `demo --traces` and `dev --traces` send the router's spans: printed as
 * each ends, or to an OTLP/HTTP collector (`url` the full traces endpoint;
 * without one, the exporter's own `OTEL_EXPORTER_OTLP_*` environment defaults).
 */
export type TraceExport = { readonly to: 'console' } | { readonly to: 'otlp'; readonly url?: string };

/**
 * Reads the `--traces` value: `console`, `otlp` (endpoint from
 * `OTEL_EXPORTER_OTLP_ENDPOINT`), or `otlp=<url>`, where a URL with no path is a
 * collector's base and gets OTLP's `/v1/traces`. Undefined for anything else.
 */
export function parseTraceExport(value: string): TraceExport | undefined {
  if (value === 'console') return { to: 'console' };
  if (value === 'otlp') return { to: 'otlp' };
  if (!value.startsWith('otlp=') || !URL.canParse(value.slice('otlp='.length))) return undefined;
  const url = new URL(value.slice('otlp='.length));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.pathname === '/') url.pathname = '/v1/traces';
  return { to: 'otlp', url: url.href };
}
