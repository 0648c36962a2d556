import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import type { KafkaEvent } from '../../event/types.js';
import { routerOf } from '../../lambda/handler.js';
import type { KafkaBatchResponse } from '../../lambda/response.js';
import type { Router } from '../../router/router.js';
import { loadServerlessFunctions, type ServerlessFunction } from './serverless-config.js';
import type { EmulatedFunction, Invoker } from './types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

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
  if (!file) throw new Error(`Cannot find the module of handler '${handler}' (looked for ${base}.ts/.js)`);
  return { file, exportName: handler.slice(dot + 1) };
}

/**
 * Loads every function of serverless.yml. `mode: 'in-process'` imports the
 * entries into this process (fast; tests and the demo); `mode: 'worker'` runs
 * each in a worker thread that `reload()` replaces with a fresh module graph.
 */
export async function loadLocalFunctions(options: { mode: 'in-process' | 'worker'; stage?: string }): Promise<LocalFunction[]> {
  const definitions = await loadServerlessFunctions(options.stage ? { stage: options.stage } : {});
  return Promise.all(
    definitions.map((definition) => (options.mode === 'worker' ? workerFunction(definition) : inProcessFunction(definition))),
  );
}

async function inProcessFunction(definition: ServerlessFunction): Promise<LocalFunction> {
  const { file, exportName } = handlerLocation(definition.handler);
  const handler = (await import(pathToFileURL(file).href))[exportName] as (
    event: KafkaEvent,
    context: Context,
  ) => Promise<KafkaBatchResponse>;
  if (typeof handler !== 'function') throw new Error(`${definition.handler} does not export a function '${exportName}'`);
  return {
    name: definition.name,
    invoke: (event, context) => handler(event, context),
    eventSources: definition.eventSources,
    timeout: definition.timeout,
    topics: topicsOf(definition, routerOf(handler)),
    close: async () => undefined,
  };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = import(workerData.url).then((module) => module[workerData.exportName]);
parentPort.on('message', async ({ id, event, timeoutMs, functionName }) => {
  const deadline = Date.now() + timeoutMs;
  const context = { functionName, awsRequestId: String(id), getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()), callbackWaitsForEmptyEventLoop: true };
  try {
    const handler = await ready;
    parentPort.postMessage({ id, response: await handler(event, context) });
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error?.name, message: error?.message ?? String(error), stack: error?.stack } });
  }
});
`;

/** A function hosted in a worker thread (loaded through tsx), replaced on `reload()`. */
export interface WorkerFunction extends LocalFunction {
  reload(): Promise<void>;
}

async function workerFunction(definition: ServerlessFunction): Promise<WorkerFunction> {
  const { file, exportName } = handlerLocation(definition.handler);
  let worker: Worker;
  let nextId = 0;
  const pending = new Map<number, { resolve: (value: KafkaBatchResponse | undefined) => void; reject: (error: Error) => void }>();
  const spawnWorker = () => {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { url: pathToFileURL(file).href, exportName },
      execArgv: ['--import', 'tsx'],
    });
    worker.on(
      'message',
      ({
        id,
        response,
        error,
      }: {
        id: number;
        response?: KafkaBatchResponse;
        error?: { name: string; message: string; stack?: string };
      }) => {
        const waiter = pending.get(id);
        pending.delete(id);
        if (!waiter) return;
        if (error) waiter.reject(Object.assign(new Error(error.message), { name: error.name, stack: error.stack }));
        else waiter.resolve(response);
      },
    );
    worker.on('error', (error) => {
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  };
  spawnWorker();
  // The router (for topic names) comes from one in-process import at start.
  const handler = (await import(pathToFileURL(file).href))[exportName];
  const invoke: Invoker = (event, context) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, event, timeoutMs: context.getRemainingTimeInMillis(), functionName: definition.name });
    });
  return {
    name: definition.name,
    invoke,
    eventSources: definition.eventSources,
    timeout: definition.timeout,
    topics: topicsOf(definition, routerOf(handler)),
    async reload() {
      const old = worker;
      spawnWorker();
      await old.terminate();
    },
    close: async () => {
      await worker.terminate();
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
