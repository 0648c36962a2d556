import { channelObject } from './channels.js';
import type { RouteWire } from './codec-schema.js';
import { routeDescriber } from './describe-route.js';
import type { Diagnostic } from './diagnostics.js';
import type { JsonSchema } from './json-schema.js';
import { type ChannelMessage, channelMessages, type DescribedSchema, type TopicUse } from './messages.js';
import type { EventSourceModel, FunctionModel, ServiceModel } from './model.js';
import { compareText } from './order.js';
import { type RouteView, routeFor, routeViews, unmatchedDeadLetter } from './routes.js';
import { buildServers } from './servers.js';

/** An AsyncAPI 3.0 document, as plain data. */
export type AsyncApiDocument = JsonSchema;

/** The document and what was noticed while building it. */
export interface AsyncApiBuild {
  readonly document: AsyncApiDocument;
  readonly diagnostics: readonly Diagnostic[];
}

/** Extension naming the Lambda function an operation belongs to (the page's diagram reads it). */
export const FUNCTION_EXTENSION = 'x-aws-lambda-function';

type OperationKind = 'receive' | 'output' | 'dead-letter' | 'on-failure';

interface PendingOperation {
  readonly id: string;
  readonly kind: OperationKind;
  readonly channelId: string;
  readonly fn: FunctionModel;
  readonly route: RouteView | undefined;
  readonly source: EventSourceModel | undefined;
  readonly summary: string;
  readonly extra: JsonSchema;
}

/**
 * Builds the AsyncAPI 3.0 document of a service: a server per cluster, a
 * channel per topic, a `receive` operation per function and routed topic, a
 * `send` operation per publisher, dead-letter topic and on-failure
 * destination. Ids are sorted, so the same service gives the same bytes.
 */
export async function buildAsyncApi(model: ServiceModel): Promise<AsyncApiBuild> {
  const diagnostics: Diagnostic[] = [];
  const servers = buildServers(model);
  const uses = new Map<string, TopicUse>();
  const pending = new Map<string, PendingOperation>();
  const schemas = new Map<RouteView, DescribedSchema | undefined>();
  const wires = new Map<RouteView, RouteWire>();
  const componentSchemas: Record<string, JsonSchema> = {};
  const describe = routeDescriber(diagnostics, componentSchemas);

  const use = (topic: string, server?: string, pattern?: RegExp): TopicUse => {
    const channelId = pattern ? `pattern.${topic}` : topic;
    const entry = uses.get(channelId) ?? {
      channelId,
      topic,
      servers: new Set<string>(),
      consumers: [],
      producers: [],
      ...(pattern ? { pattern } : {}),
    };
    if (server) entry.servers.add(server);
    uses.set(channelId, entry);
    return entry;
  };
  const operation = (op: PendingOperation) => {
    if (!pending.has(op.id)) pending.set(op.id, op);
  };

  for (const fn of [...model.functions].sort((a, b) => compareText(a.name, b.name))) {
    const routes = fn.router ? routeViews(fn.router) : [];
    for (const route of routes) {
      schemas.set(route, await describe.schema(fn.name, route));
      wires.set(route, describe.wire(fn.name, route));
    }
    const routed = new Map<RouteView, number>();
    for (const source of fn.eventSources) {
      const route = routeFor(routes, source.topic);
      if (route) routed.set(route, (routed.get(route) ?? 0) + 1);
    }

    for (const source of fn.eventSources) {
      const server = servers.serverOf(source.cluster);
      const route = routeFor(routes, source.topic);
      const input = use(source.topic, server);
      if (route) input.consumers.push({ fn: fn.name, route });
      const base = `${fn.name}.${route?.name ?? 'unrouted'}`;
      const manyTopics = (route && (routed.get(route) ?? 0) > 1) || !route;
      operation({
        id: `${base}.receive${manyTopics ? `.${source.topic}` : ''}`,
        kind: 'receive',
        channelId: input.channelId,
        fn,
        route,
        source,
        summary: route
          ? `${fn.name} receives ${source.topic} (route ${route.name}, ${route.kind === 'batch' ? 'one call per partition batch' : 'record by record'})`
          : `${fn.name} receives ${source.topic}, which no route consumes`,
        extra: route
          ? {
              'x-kafka-lambda-router': {
                route: route.name,
                kind: route.kind,
                ...(route.topic instanceof RegExp ? { topicPattern: String(route.topic) } : {}),
              },
            }
          : { 'x-kafka-lambda-router': { unmatched: fn.router ? policyOf(fn) : 'unknown' } },
      });
      if (fn.router && !route) {
        diagnostics.push({
          severity: 'warning',
          function: fn.name,
          message: `no route consumes '${source.topic}', which its event source mapping delivers: records are handled by the unmatched policy (${policyOf(fn)})`,
        });
      }

      for (const publisher of route?.publishes ?? []) {
        const output = use(publisher.topic, server);
        if (route) {
          const wire = output.producers.some((p) => p.kind === 'output' && p.fn === fn.name && p.route === route)
            ? undefined
            : describe.publisherWire(fn.name, route, publisher.topic, publisher.schema);
          output.producers.push({ fn: fn.name, kind: 'output', route, keyed: publisher.keyed, wire });
        }
        operation({
          id: `${base}.send.${publisher.topic}`,
          kind: 'output',
          channelId: output.channelId,
          fn,
          route,
          source,
          summary: `${fn.name} publishes to ${publisher.topic} (route ${route?.name})`,
          extra: { 'x-kafka-lambda-router': { route: route?.name } },
        });
      }

      const deadLetter = route ? route.deadLetterTopic(source.topic) : fn.router ? unmatchedDeadLetter(fn.router) : undefined;
      if (deadLetter) {
        const routeName = route?.name ?? 'unmatched';
        const channel = use(deadLetter, server);
        channel.producers.push({
          fn: fn.name,
          kind: 'dead-letter',
          route: routeName,
          codec: route?.codec ?? 'bytes',
          sourceTopic: source.topic,
        });
        operation({
          id: `${fn.name}.${routeName}.deadLetter.${deadLetter}`,
          kind: 'dead-letter',
          channelId: channel.channelId,
          fn,
          route,
          source,
          summary: `${fn.name} dead-letters records of ${source.topic} to ${deadLetter}`,
          extra: { tags: [{ name: 'dead-letter' }], 'x-kafka-lambda-router': { route: routeName } },
        });
      }

      const failure = String(source.settings.onFailureDestination ?? '');
      if (failure.startsWith('kafka://')) {
        const topic = failure.slice('kafka://'.length);
        const channel = use(topic, server);
        channel.producers.push({ fn: fn.name, kind: 'on-failure', sourceTopic: source.topic });
        operation({
          id: `${fn.name}.onFailure.${topic}`,
          kind: 'on-failure',
          channelId: channel.channelId,
          fn,
          route: undefined,
          source,
          summary: `Lambda sends batches of ${source.topic} that ${fn.name} failed (retries exhausted or records too old) to ${topic}`,
          extra: { tags: [{ name: 'on-failure' }] },
        });
      }
    }

    for (const route of routes) {
      if (routed.has(route)) continue;
      if (route.topic instanceof RegExp) {
        const channel = use(route.name, undefined, route.topic);
        channel.consumers.push({ fn: fn.name, route });
        operation({
          id: `${fn.name}.${route.name}.receive`,
          kind: 'receive',
          channelId: channel.channelId,
          fn,
          route,
          source: undefined,
          summary: `${fn.name} receives topics matching ${String(route.topic)} (route ${route.name})`,
          extra: { 'x-kafka-lambda-router': { route: route.name, kind: route.kind, topicPattern: String(route.topic) } },
        });
      }
      diagnostics.push({
        severity: 'warning',
        function: fn.name,
        route: route.name,
        message: `consumes ${typeof route.topic === 'string' ? `'${route.topic}'` : `topics matching ${String(route.topic)}`}, but no event source mapping of the function delivers ${typeof route.topic === 'string' ? 'it' : 'such a topic'}`,
      });
    }
  }

  const channels: Record<string, JsonSchema> = {};
  const componentMessages: Record<string, JsonSchema> = {};
  const messagesOf = new Map<string, ChannelMessage[]>();
  const multiServer = Object.keys(servers.servers).length > 1;
  for (const channelUse of [...uses.values()].sort((a, b) => compareText(a.channelId, b.channelId))) {
    const shared = (name: string, schema: () => JsonSchema): JsonSchema => {
      componentSchemas[name] ??= schema();
      return { $ref: `#/components/schemas/${name}` };
    };
    const messages = channelMessages(channelUse, { schemas, wires }, componentSchemas, shared).map((entry) => {
      const id = uniqueKey(entry.id, componentMessages);
      componentMessages[id] = { ...entry.message, name: id };
      return { ...entry, id };
    });
    messagesOf.set(channelUse.channelId, messages);
    channels[channelUse.channelId] = channelObject(channelUse, messages, multiServer);
  }

  const operations: Record<string, JsonSchema> = {};
  for (const op of [...pending.values()].sort((a, b) => compareText(a.id, b.id))) {
    const messages = (messagesOf.get(op.channelId) ?? []).filter((message) => carries(op, message));
    const mechanism = op.kind === 'receive' || op.kind === 'on-failure' ? op.source?.auth : op.fn.publisherAuth;
    const security = mechanism ? servers.securityOf(mechanism) : [];
    operations[op.id] = {
      action: op.kind === 'receive' ? 'receive' : 'send',
      channel: { $ref: `#/channels/${op.channelId}` },
      summary: op.summary,
      ...(messages.length > 0 ? { messages: messages.map((m) => ({ $ref: `#/channels/${op.channelId}/messages/${m.id}` })) } : {}),
      ...(security.length > 0 ? { security } : {}),
      ...(op.kind === 'receive' && op.source ? { bindings: { kafka: receiveBinding(op.source) } } : {}),
      ...op.extra,
      [FUNCTION_EXTENSION]: op.fn.name,
    };
  }

  const components: JsonSchema = {
    ...(Object.keys(componentSchemas).length > 0 ? { schemas: sortKeys(componentSchemas) } : {}),
    messages: sortKeys(componentMessages),
    ...(Object.keys(servers.securitySchemes).length > 0 ? { securitySchemes: sortKeys(servers.securitySchemes) } : {}),
  };
  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    info: {
      title: model.service,
      version: model.version,
      description: `The Kafka topics that the Lambda functions of ${model.service} (stage ${model.stage}) read and write, generated by kafka-lambda-router from serverless.yml and the routes the functions export.`,
    },
    defaultContentType: 'application/json',
    servers: servers.servers,
    channels,
    operations,
    components,
  };
  return { document, diagnostics };
}

function carries(op: PendingOperation, message: ChannelMessage): boolean {
  switch (op.kind) {
    case 'receive':
      return message.carries === 'value' && (op.route === undefined || message.consumedBy.includes(op.route.name));
    case 'output':
      return message.carries === 'value';
    case 'dead-letter':
      return message.carries === 'dead-letter';
    case 'on-failure':
      return message.carries === 'on-failure';
  }
}

function receiveBinding(source: EventSourceModel): JsonSchema {
  return {
    groupId: source.consumerGroupId
      ? { type: 'string', enum: [source.consumerGroupId] }
      : { type: 'string', description: "The event source mapping's UUID (no consumerGroupId is set)" },
    bindingVersion: '0.5.0',
    'x-aws-lambda-event-source-mapping': { eventSource: source.kind, ...source.settings },
  };
}

function policyOf(fn: FunctionModel): string {
  const unmatched = fn.router?.unmatched;
  return typeof unmatched === 'object' ? `dead-letter to ${unmatched.deadLetter}` : String(unmatched);
}

function uniqueKey(base: string, taken: Record<string, unknown>): string {
  let key = base;
  for (let n = 2; key in taken; n++) key = `${base}_${n}`;
  return key;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}
