import { ConfigError } from '../../../runtime/errors/index.js';
import type { PublisherSpec } from '../../../runtime/router/publishers.js';
import type { CompiledRoute } from '../../../runtime/router/table.js';
import type { LocalFunction } from '../emulator/functions.js';

/** A route of the service and the function it belongs to. */
export interface ServiceRoute {
  readonly fn: LocalFunction;
  readonly compiled: CompiledRoute;
}

/** Where a topic's values come from and go to in the service: which codecs write and read it. */
export interface TopicRoles {
  /** The routes (with their publisher spec) that publish to the topic. */
  readonly publishers: ReadonlyArray<ServiceRoute & { readonly spec: PublisherSpec }>;
  /** The route that consumes the topic, if any. */
  readonly consumer: ServiceRoute | undefined;
  /** For a dead-letter topic: the route whose records land there (they keep that route's input bytes). */
  readonly deadLettersOf: ServiceRoute | undefined;
}

/** The routes of a service's functions, looked up the ways the tools need. */
export interface ServiceRoutes {
  readonly functions: readonly LocalFunction[];
  /** The route named `name` (optionally in function `fn`); a ConfigError listing the names when there is none. */
  route(name: string, fn?: string): ServiceRoute;
  /** The route of function `fn` that consumes `topic`. */
  consumerIn(fn: string, topic: string): ServiceRoute;
  roles(topic: string): TopicRoles;
}

/** Indexes the routes of `functions` (as loaded by loadLocalFunctions). */
export function serviceRoutes(functions: readonly LocalFunction[]): ServiceRoutes {
  const all: ServiceRoute[] = functions.flatMap((fn) => (fn.router()?.table.routes ?? []).map((compiled) => ({ fn, compiled })));
  const names = () => all.map((r) => `${r.compiled.name} (${r.fn.name})`).join(', ') || 'none';
  const consumerOf = (topic: string) => all.find((r) => r.fn.router()?.table.resolve(topic) === r.compiled);
  return {
    functions,
    route(name, fn) {
      const found = all.find((r) => r.compiled.name === name && (fn === undefined || r.fn.name === fn));
      if (!found) throw new ConfigError(`No route '${name}'${fn ? ` in function ${fn}` : ''} (routes: ${names()})`);
      return found;
    },
    consumerIn(fn, topic) {
      const local = functions.find((candidate) => candidate.name === fn);
      if (!local) throw new ConfigError(`No function '${fn}' (functions: ${functions.map((f) => f.name).join(', ')})`);
      const compiled = local.router()?.table.resolve(topic);
      if (!compiled) throw new ConfigError(`Function ${fn} has no route for topic '${topic}'`);
      return { fn: local, compiled };
    },
    roles(topic) {
      const publishers = all.flatMap((r) => {
        const spec = r.compiled.publishers.get(topic);
        return spec ? [{ ...r, spec }] : [];
      });
      const deadLettersOf = all.find(
        (r) => typeof r.compiled.route.topic === 'string' && r.compiled.deadLetterTopic(r.compiled.route.topic) === topic,
      );
      return { publishers, consumer: consumerOf(topic), deadLettersOf };
    },
  };
}
