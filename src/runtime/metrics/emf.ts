import type { DispatchReport } from '../router/dispatch.js';
import type { RouteTable } from '../router/table.js';

/** How an invocation went, in the figures the metrics report. */
export interface InvocationFigures {
  readonly report: DispatchReport;
  /** Milliseconds from the start of dispatch to its report (handlers, retries, decoding). */
  readonly handlerMs: number;
  /** Milliseconds the flush took (0 when nothing was sent). */
  readonly flushMs: number;
  /** Outputs and dead letters acknowledged by the flush (0 when it failed). */
  readonly published: boolean;
  /** Now minus the oldest record's timestamp, at the start of the invocation. */
  readonly oldestRecordAgeMs: number | undefined;
}

/** Where an invocation's metrics go; {@link emfMetrics} writes CloudWatch Embedded Metric Format. */
export interface MetricsSink {
  record(figures: InvocationFigures, table: RouteTable): void;
}

/** Options of {@link emfMetrics} writing its own EMF lines. */
export interface OwnEmfOptions {
  /** The CloudWatch namespace (default `KafkaLambdaRouter`). */
  readonly namespace?: string;
  /** The `function` dimension (default `AWS_LAMBDA_FUNCTION_NAME`, else `local`). */
  readonly functionName?: string;
  /** Where the lines go (default stdout, where Lambda's log agent extracts EMF). */
  readonly write?: (text: string) => void;
  readonly powertools?: undefined;
}

/**
 * The part of a Powertools `Metrics` object the router uses, by shape, so that
 * Powertools stays off the runtime's import path (`new Metrics()` fits as is).
 */
export interface PowertoolsMetricsLike {
  addMetric(name: string, unit: 'Count' | 'Milliseconds', value: number): unknown;
}

/** Options of {@link emfMetrics} adding to the user's Powertools `Metrics` (its namespace and dimensions apply). */
export interface PowertoolsEmfOptions {
  /** The user's Powertools `Metrics`; its own flush (`logMetrics`, `publishStoredMetrics()`) writes ours too. */
  readonly powertools: PowertoolsMetricsLike;
  readonly namespace?: never;
  readonly functionName?: never;
  readonly write?: never;
}

/** Options of {@link emfMetrics}. */
export type EmfMetricsOptions = OwnEmfOptions | PowertoolsEmfOptions;

/** The route dimension of records whose topic no route reads. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * CloudWatch Embedded Metric Format, written by hand (a few JSON lines; neither
 * aws-embedded-metrics' async flushing nor a Powertools dependency is needed):
 * per invocation one document per route with dimensions function and route
 * (records in, handled, dead-lettered, failed, skipped, outputs published) and
 * one with dimension function (handler time, flush time, oldest record age),
 * all in one write. Partitions are never a dimension: that would multiply the
 * metric count by the partition count.
 *
 * With `powertools`, nothing is written: the invocation's counts (summed over
 * routes) and timings are added to the user's Powertools `Metrics`, so its one
 * flush carries both (a Powertools document has one value per dimension, so
 * there is no route dimension then).
 */
export function emfMetrics(options: EmfMetricsOptions = {}): MetricsSink {
  if (options.powertools) {
    const metrics = options.powertools;
    return { record: (figures, table) => addToPowertools(metrics, figures, table) };
  }
  const namespace = options.namespace ?? 'KafkaLambdaRouter';
  const functionName = options.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  return {
    record(figures, table) {
      write(emfLines(figures, table, namespace, functionName));
    },
  };
}

/** Count metrics of one route. */
export const ROUTE_METRICS = [
  'RecordsIn',
  'RecordsHandled',
  'RecordsDeadLettered',
  'RecordsFailed',
  'RecordsSkipped',
  'OutputsPublished',
] as const;
/** Millisecond metrics of the invocation. */
export const INVOCATION_METRICS = ['HandlerTime', 'FlushTime', 'OldestRecordAge'] as const;

/** Per-route counts of one invocation, as the route metrics name them. */
export type RouteCounts = Record<(typeof ROUTE_METRICS)[number], number>;

/** The invocation's counts by route name (records of unmatched topics under {@link UNMATCHED_ROUTE}). */
export function routeCounts(figures: Pick<InvocationFigures, 'report' | 'published'>, table: RouteTable): Map<string, RouteCounts> {
  const routes = new Map<string, RouteCounts>();
  for (const lane of figures.report.lanes) {
    const route = table.resolve(lane.topic)?.name ?? UNMATCHED_ROUTE;
    let counts = routes.get(route);
    if (!counts) {
      counts = { RecordsIn: 0, RecordsHandled: 0, RecordsDeadLettered: 0, RecordsFailed: 0, RecordsSkipped: 0, OutputsPublished: 0 };
      routes.set(route, counts);
    }
    counts.RecordsIn += lane.records;
    counts.RecordsHandled += lane.handled;
    counts.RecordsDeadLettered += lane.deadLettered;
    counts.RecordsFailed += lane.failed;
    counts.RecordsSkipped += lane.skipped;
    if (figures.published) for (const message of lane.messages) if (message.kind === 'output') counts.OutputsPublished++;
  }
  return routes;
}

/**
 * A process-wide observer of every invocation's figures, for local tools (the
 * emulator's demo summary), which cannot pass options to a user's handler. One
 * property read per invocation when nobody observes.
 */
export const INVOCATION_OBSERVER: unique symbol = Symbol.for('kafka-lambda-router.invocation-observer');

/** Calls the process-wide observer, if a local tool set one. */
export function notifyObserver(figures: InvocationFigures, table: RouteTable): void {
  const observer = (globalThis as { [INVOCATION_OBSERVER]?: MetricsSink['record'] })[INVOCATION_OBSERVER];
  observer?.(figures, table);
}

/** The EMF lines (newline-terminated) of one invocation. */
export function emfLines(figures: InvocationFigures, table: RouteTable, namespace: string, functionName: string): string {
  const timestamp = Date.now();
  const routes = routeCounts(figures, table);
  let text = '';
  for (const [route, counts] of routes) {
    text += `${JSON.stringify({
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          { Namespace: namespace, Dimensions: [['function', 'route']], Metrics: ROUTE_METRICS.map((Name) => ({ Name, Unit: 'Count' })) },
        ],
      },
      function: functionName,
      route,
      ...counts,
    })}\n`;
  }
  const timings: Record<string, number> = { HandlerTime: figures.handlerMs, FlushTime: figures.flushMs };
  if (figures.oldestRecordAgeMs !== undefined) timings.OldestRecordAge = figures.oldestRecordAgeMs;
  text += `${JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        { Namespace: namespace, Dimensions: [['function']], Metrics: Object.keys(timings).map((Name) => ({ Name, Unit: 'Milliseconds' })) },
      ],
    },
    function: functionName,
    ...timings,
  })}\n`;
  return text;
}

/** Adds one invocation's counts (summed over routes) and timings to a Powertools `Metrics`. */
export function addToPowertools(metrics: PowertoolsMetricsLike, figures: InvocationFigures, table: RouteTable): void {
  const totals: RouteCounts = {
    RecordsIn: 0,
    RecordsHandled: 0,
    RecordsDeadLettered: 0,
    RecordsFailed: 0,
    RecordsSkipped: 0,
    OutputsPublished: 0,
  };
  for (const counts of routeCounts(figures, table).values()) for (const name of ROUTE_METRICS) totals[name] += counts[name];
  for (const name of ROUTE_METRICS) metrics.addMetric(name, 'Count', totals[name]);
  metrics.addMetric('HandlerTime', 'Milliseconds', figures.handlerMs);
  metrics.addMetric('FlushTime', 'Milliseconds', figures.flushMs);
  if (figures.oldestRecordAgeMs !== undefined) metrics.addMetric('OldestRecordAge', 'Milliseconds', figures.oldestRecordAgeMs);
}

/** Now minus the earliest record timestamp of the event, or undefined for an empty event. */
export function oldestRecordAge(
  lanes: ReadonlyArray<{ readonly records: ReadonlyArray<{ readonly timestamp: number }> }>,
  now: number,
): number | undefined {
  let oldest = Number.POSITIVE_INFINITY;
  for (const lane of lanes) for (const record of lane.records) if (record.timestamp < oldest) oldest = record.timestamp;
  return oldest === Number.POSITIVE_INFINITY ? undefined : Math.max(0, now - oldest);
}
