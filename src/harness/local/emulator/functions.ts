import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { ConfigError } from '../../../runtime/errors/index.js';
import type { KafkaEvent } from '../../../runtime/event/types.js';
import { routerOf } from '../../../runtime/lambda/handler.js';
import type { KafkaBatchResponse } from '../../../runtime/lambda/response.js';
import type { Router } from '../../../runtime/router/router.js';
import { loadServerlessFunctions, type ServerlessFunction, type ServiceSelection } from './serverless-config.js';
import type { EmulatedFunction } from './types.js';

/** A function from serverless.yml, ready to run locally, with every topic it touches. */
export interface LocalFunction extends EmulatedFunction {
  /** Consumed topics, publisher topics, dead-letter topics and failure destinations. */
  readonly topics: readonly string[];
  /** The router behind the function's current code (undefined when its handler was not made by createKafkaHandler). */
  router(): Router | undefined;
  /** Ends its worker, if it has one. */
  close(): Promise<void>;
}

/** The module file and export a serverless `handler` string points at, in the service folder `serviceDir`. */
export function handlerLocation(handler: string, serviceDir: string = process.cwd()): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  const base = join(resolve(serviceDir), handler.slice(0, dot));
  const file = ['.ts', '.mts', '.js', '.mjs'].map((ext) => `${base}${ext}`).find((candidate) => existsSync(candidate));
  if (!file) throw new ConfigError(`Cannot find the module of handler '${handler}' (looked for ${base}.ts, .mts, .js, .mjs)`);
  return { file, exportName: handler.slice(dot + 1) };
}

/**
 * Loads every function of the service's serverless.yml into this process (TypeScript through tsx).
 * `reloadable` (dev mode) can re-import a function's code after a change.
 */
export function loadLocalFunctions(options: ServiceSelection & { reloadable: true }): Promise<ReloadableFunction[]>;
export function loadLocalFunctions(options?: ServiceSelection & { reloadable?: boolean }): Promise<LocalFunction[]>;
export async function loadLocalFunctions(options: ServiceSelection & { reloadable?: boolean } = {}): Promise<LocalFunction[]> {
  const definitions = await loadServerlessFunctions(options);
  const serviceDir = options.cwd ?? process.cwd();
  return Promise.all(
    definitions.map((definition) =>
      options.reloadable ? reloadableFunction(definition, serviceDir) : inProcessFunction(definition, serviceDir),
    ),
  );
}

async function inProcessFunction(definition: ServerlessFunction, serviceDir: string): Promise<LocalFunction> {
  const { file, exportName } = handlerLocation(definition.handler, serviceDir);
  const { tsImport } = await import('tsx/esm/api');
  const module = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  const handler = entryOf(module, definition.handler, exportName);
  return localFunction(definition, () => handler);
}

function entryOf(module: Record<string, unknown>, handler: string, exportName: string): LambdaEntry {
  const entry = module[exportName];
  if (typeof entry !== 'function') throw new ConfigError(`${handler} does not export a function '${exportName}'`);
  return entry as LambdaEntry;
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
    router: () => routerOf(current()),
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
export async function reloadableFunction(definition: ServerlessFunction, serviceDir?: string): Promise<ReloadableFunction> {
  const { file, exportName } = handlerLocation(definition.handler, serviceDir);
  const { register } = await import('tsx/esm/api');
  let generation = 0;
  let scope: { import: (specifier: string, parent: string) => Promise<unknown>; unregister: () => Promise<void> } | undefined;
  const load = async () => {
    const previous = scope;
    scope = register({ namespace: `reload-${generation++}` });
    const module = (await scope.import(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
    await previous?.unregister();
    return entryOf(module, definition.handler, exportName);
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
