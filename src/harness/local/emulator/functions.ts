import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { ConfigError } from '../../../runtime/errors/index.js';
import type { KafkaEvent } from '../../../runtime/event/types.js';
import { routerOf } from '../../../runtime/lambda/handler.js';
import type { KafkaBatchResponse } from '../../../runtime/lambda/response.js';
import type { Router } from '../../../runtime/router/router.js';
import { loadServerlessFunctions, type ServerlessFunction } from './serverless-config.js';
import type { EmulatedFunction } from './types.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A function from serverless.yml, ready to run locally, with every topic it touches. */
export interface LocalFunction extends EmulatedFunction {
  /** Consumed topics, publisher topics, dead-letter topics and failure destinations. */
  readonly topics: readonly string[];
  /** Ends its worker, if it has one. */
  close(): Promise<void>;
}

/** The module file and export a serverless `handler` string points at. */
export function handlerLocation(handler: string, root = ROOT): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  const base = join(root, handler.slice(0, dot));
  const file = ['.ts', '.mts', '.js', '.mjs'].map((ext) => `${base}${ext}`).find((candidate) => existsSync(candidate));
  if (!file) throw new ConfigError(`Cannot find the module of handler '${handler}' (looked for ${base}.ts/.js)`);
  return { file, exportName: handler.slice(dot + 1) };
}

/**
 * Loads every function of serverless.yml into this process. `reloadable`
 * (dev mode) can re-import a function's code after a change.
 */
export async function loadLocalFunctions(options: { reloadable?: boolean; stage?: string } = {}): Promise<LocalFunction[]> {
  const definitions = await loadServerlessFunctions(options.stage ? { stage: options.stage } : {});
  return Promise.all(
    definitions.map((definition) => (options.reloadable ? reloadableFunction(definition) : inProcessFunction(definition))),
  );
}

async function inProcessFunction(definition: ServerlessFunction): Promise<LocalFunction> {
  const { file, exportName } = handlerLocation(definition.handler);
  const handler = (await import(pathToFileURL(file).href))[exportName] as (
    event: KafkaEvent,
    context: Context,
  ) => Promise<KafkaBatchResponse>;
  if (typeof handler !== 'function') throw new ConfigError(`${definition.handler} does not export a function '${exportName}'`);
  return localFunction(definition, () => handler);
}

type LambdaEntry = (event: KafkaEvent, context: Context) => Promise<KafkaBatchResponse>;

/** A local function around whatever handler `current()` returns now (it changes on reload). */
function localFunction(definition: ServerlessFunction, current: () => LambdaEntry): LocalFunction {
  return {
    name: definition.name,
    invoke: (event, context) => current()(event, context),
    eventSources: definition.eventSources,
    timeout: definition.timeout,
    topics: topicsOf(definition, routerOf(current())),
    close: async () => undefined,
  };
}

/** A function whose code can be re-imported after a change. */
export interface ReloadableFunction extends LocalFunction {
  reload(): Promise<void>;
}

/**
 * Imported through tsx's `tsImport` under a namespace: a reload imports again
 * under a new namespace, which evaluates a fresh module graph (handler modules
 * included) in this process, then swaps the handler. Invocations stay in-process.
 */
export async function reloadableFunction(definition: ServerlessFunction): Promise<ReloadableFunction> {
  const { file, exportName } = handlerLocation(definition.handler);
  const { register } = await import('tsx/esm/api');
  let generation = 0;
  let scope: { import: (specifier: string, parent: string) => Promise<unknown>; unregister: () => Promise<void> } | undefined;
  const load = async () => {
    const previous = scope;
    scope = register({ namespace: `reload-${generation++}` });
    const module = (await scope.import(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
    await previous?.unregister();
    const loaded = module[exportName];
    if (typeof loaded !== 'function') throw new ConfigError(`${definition.handler} does not export a function '${exportName}'`);
    return loaded as (event: KafkaEvent, context: Context) => Promise<KafkaBatchResponse>;
  };
  let handler = await load();
  return {
    ...localFunction(definition, () => handler),
    async reload() {
      handler = await load();
    },
  };
}

function topicsOf(definition: ServerlessFunction, router: Router | undefined): string[] {
  const topics = new Set<string>();
  for (const source of definition.eventSources) {
    topics.add(source.topic);
    if (source.onFailureDestination?.startsWith('kafka://')) topics.add(source.onFailureDestination.slice('kafka://'.length));
  }
  for (const compiled of router?.table.routes ?? []) {
    for (const topic of compiled.publishers.keys()) topics.add(topic);
    if (typeof compiled.route.topic === 'string') {
      const deadLetter = compiled.deadLetterTopic(compiled.route.topic);
      if (deadLetter) topics.add(deadLetter);
    }
  }
  if (typeof router?.unmatched === 'object') topics.add(router.unmatched.deadLetter);
  return [...topics];
}
