import { INVOCATION_OBSERVER, type InvocationFigures, type RouteCounts, routeCounts } from '../../runtime/metrics/emf.js';
import type { RouteTable } from '../../runtime/router/table.js';

/** Per-route totals over every invocation in this process while observing: what `demo` prints at the end. */
export interface RouteSummary {
  readonly routes: ReadonlyMap<string, RouteCounts>;
  /** Stops observing (the totals stay readable). */
  stop(): void;
}

/**
 * Adds up the route metrics (the same figures `emfMetrics` writes) of every
 * handler invocation in this process, through the runtime's process-wide
 * observer, since the demo cannot pass options to the service's handlers.
 */
export function observeRoutes(): RouteSummary {
  const routes = new Map<string, RouteCounts>();
  const global = globalThis as { [INVOCATION_OBSERVER]?: (figures: InvocationFigures, table: RouteTable) => void };
  global[INVOCATION_OBSERVER] = (figures, table) => {
    for (const [route, counts] of routeCounts(figures, table)) {
      const total = routes.get(route);
      if (!total) routes.set(route, { ...counts });
      else for (const name of Object.keys(counts) as Array<keyof RouteCounts>) total[name] += counts[name];
    }
  };
  return {
    routes,
    stop: () => {
      delete global[INVOCATION_OBSERVER];
    },
  };
}
