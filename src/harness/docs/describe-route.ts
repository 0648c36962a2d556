import type { SchemaDeclaration } from '../../runtime/codec/schema-codec.js';
import { type RouteWire, type WireSchema, wireSchema } from './codec-schema.js';
import type { Diagnostic } from './diagnostics.js';
import { convertSchema, embedSchema, type JsonSchema } from './json-schema.js';
import { type DescribedSchema, messageBaseName } from './messages.js';
import type { RouteView } from './routes.js';

/** Collects what the docs learn about routes, their diagnostics and the `components.schemas` they add. */
export interface RouteDescriber {
  /** The route's Standard Schema as JSON Schema (undefined without one). */
  schema(fn: string, route: RouteView): Promise<DescribedSchema | undefined>;
  /** The route's value and key codec schemas. */
  wire(fn: string, route: RouteView): RouteWire;
  /** A publisher's codec schema, for a topic no route of the service consumes. */
  publisherWire(fn: string, route: RouteView, topic: string, declaration: SchemaDeclaration | undefined): WireSchema | undefined;
}

/** A describer that reports into `diagnostics` and registers shared schemas in `componentSchemas`. */
export function routeDescriber(diagnostics: Diagnostic[], componentSchemas: Record<string, JsonSchema>): RouteDescriber {
  const wireOf = (
    fn: string,
    route: RouteView,
    declaration: SchemaDeclaration,
    topic: string | undefined,
    part: 'key' | 'value',
    prefix: string,
  ) => {
    const wire = wireSchema(declaration, { topic, part, prefix });
    Object.assign(componentSchemas, wire.components);
    if (wire.problem) diagnostics.push({ severity: 'warning', function: fn, route: route.name, message: wire.problem });
    return wire;
  };
  return {
    async schema(fn, route) {
      if (!route.schema) return undefined;
      const conversion = await convertSchema(route.schema);
      if (!conversion.ok) {
        diagnostics.push({
          severity: 'error',
          function: fn,
          route: route.name,
          message: `cannot describe its value schema: ${conversion.reason}`,
        });
        return {
          payload: { description: `The schema of route ${route.name} could not be converted to JSON Schema: ${conversion.reason}` },
          components: {},
        };
      }
      const embedded = embedSchema(conversion.schema, `${fn}.${messageBaseName(route.name)}`);
      Object.assign(componentSchemas, embedded.components);
      return embedded;
    },
    wire(fn, route) {
      const topic = typeof route.topic === 'string' ? route.topic : undefined;
      const prefix = `${fn}.${messageBaseName(route.name)}Codec`;
      const value = route.valueSchema ? wireOf(fn, route, route.valueSchema, topic, 'value', prefix) : undefined;
      if (!route.keySchema) return { value, key: undefined, keyRegistry: undefined };
      const key = wireOf(fn, route, route.keySchema, topic, 'key', prefix);
      if (!('schemaFormat' in key.schema)) return { value, key: key.schema, keyRegistry: key.registry };
      // The Kafka binding's key is a Schema Object: a multi-format key schema goes to components and is referenced.
      const name = `${fn}.${messageBaseName(route.name)}Key`;
      componentSchemas[name] = key.schema;
      return { value, key: { $ref: `#/components/schemas/${name}` }, keyRegistry: key.registry };
    },
    publisherWire(fn, route, topic, declaration) {
      if (!declaration) return undefined;
      return wireOf(fn, route, declaration, topic, 'value', `${fn}.${messageBaseName(route.name)}To${messageBaseName(topic)}`);
    },
  };
}
