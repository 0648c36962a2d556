import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { routerOf } from '../../runtime/lambda/handler.js';
import { handlerLocation } from '../local/emulator/functions.js';
import { printServerlessConfig, type ResolvedServerlessConfig } from '../local/emulator/serverless-config.js';
import type { Diagnostic } from './diagnostics.js';
import { DocsError } from './errors.js';
import type { AuthMechanism, ClusterModel, EventSourceModel, FunctionModel, ServiceModel } from './model.js';

/** Where the service lives and which stage to describe. */
export interface CollectOptions {
  /** The directory holding serverless.yml (default: the current directory). */
  readonly cwd?: string;
  /** The serverless stage (default: serverless's own default, `dev`). */
  readonly stage?: string;
}

// The event source mapping settings worth documenting, in the order they are written. An allow-list on
// purpose: access configurations (secret ARNs) and anything unknown stay out of the document.
const ESM_SETTINGS = [
  'enabled',
  'batchSize',
  'maximumBatchingWindow',
  'startingPosition',
  'startingPositionTimestamp',
  'provisionedPollerConfig',
  'pollerGroupName',
  'functionResponseTypes',
  'bisectBatchOnFunctionError',
  'maximumRetryAttempts',
  'maximumRecordAgeInSeconds',
  'onFailureDestination',
  'filterPatterns',
  'schemaRegistry',
] as const;

// Settings kept only in part: their access configurations name secrets.
const WITHOUT_SECRETS: Readonly<Record<string, readonly string[]>> = { schemaRegistry: ['accessConfigs'] };

const PUBLISHER_AUTH: Readonly<Record<string, AuthMechanism>> = {
  iam: 'iam',
  'scram-sha-512': 'scram-sha-512',
  tls: 'tls',
  plaintext: 'plaintext',
};

/**
 * Reads the service as deployed would see it: serverless.yml through the real
 * `serverless print`, then each function's handler module, whose router gives
 * its routes. Handler modules are imported into this process.
 */
export async function collectServiceModel(options: CollectOptions = {}): Promise<{ model: ServiceModel; diagnostics: Diagnostic[] }> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const config = await printServerlessConfig({ cwd, ...(options.stage ? { stage: options.stage } : {}) });
  return serviceModelFrom(config, { cwd, stage: options.stage ?? 'dev', load: (handler) => loadHandler(handler, cwd) });
}

/** Builds the model from an already printed configuration; `load` imports a `handler` string's export. */
export async function serviceModelFrom(
  config: ResolvedServerlessConfig,
  options: { cwd: string; stage: string; load: (handler: string) => Promise<unknown> },
): Promise<{ model: ServiceModel; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const functions: FunctionModel[] = [];
  for (const [name, fn] of Object.entries(config.functions ?? {})) {
    const eventSources = (fn.events ?? []).flatMap((event) => eventSourceOf(event));
    const handler = await options.load(fn.handler).catch((cause: unknown) => {
      throw new DocsError(`Cannot load the handler of function '${name}' (${fn.handler})`, { cause });
    });
    const router = routerOf(handler);
    if (!router && eventSources.length > 0) {
      diagnostics.push({
        severity: 'warning',
        function: name,
        message: `${fn.handler} was not made by createKafkaHandler: its topics are documented without routes or schemas`,
      });
    }
    const authSetting = String(fn.environment?.KAFKA_AUTH ?? config.provider?.environment?.KAFKA_AUTH ?? 'plaintext');
    const publisherAuth = PUBLISHER_AUTH[authSetting];
    if (!publisherAuth) {
      diagnostics.push({
        severity: 'error',
        function: name,
        message: `KAFKA_AUTH '${authSetting}' is not one of ${Object.keys(PUBLISHER_AUTH).join(', ')}`,
      });
    }
    functions.push({ name, handler: fn.handler, eventSources, router, publisherAuth: publisherAuth ?? 'plaintext' });
  }
  const service = typeof config.service === 'string' ? config.service : 'service';
  return { model: { service, stage: options.stage, version: packageVersion(options.cwd), functions }, diagnostics };
}

function eventSourceOf(event: Record<string, Record<string, unknown>>): EventSourceModel[] {
  const kind = event.msk ? 'msk' : event.kafka ? 'kafka' : undefined;
  const settings = kind ? event[kind] : undefined;
  if (!kind || !settings) return [];
  const cluster: ClusterModel =
    kind === 'msk'
      ? { kind, clusterArn: String(settings.arn) }
      : { kind, bootstrapServers: Array.isArray(settings.bootstrapServers) ? settings.bootstrapServers.map(String) : [] };
  const kept: Record<string, unknown> = {};
  for (const key of ESM_SETTINGS) if (settings[key] !== undefined) kept[key] = withoutSecrets(key, settings[key]);
  return [
    {
      kind,
      topic: String(settings.topic),
      cluster,
      auth: esmAuth(kind, settings),
      ...(typeof settings.consumerGroupId === 'string' ? { consumerGroupId: settings.consumerGroupId } : {}),
      settings: kept,
    },
  ];
}

function withoutSecrets(key: string, value: unknown): unknown {
  const dropped = WITHOUT_SECRETS[key];
  if (!dropped || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([name]) => !dropped.includes(name)));
}

/** How Lambda's pollers authenticate: from the mapping's access settings (their secret ARNs are not kept). */
function esmAuth(kind: 'msk' | 'kafka', settings: Record<string, unknown>): AuthMechanism {
  if (kind === 'msk') return settings.saslScram512 ? 'scram-sha-512' : 'iam';
  const access = (settings.accessConfigurations ?? {}) as Record<string, unknown>;
  if (access.saslScram512Auth) return 'scram-sha-512';
  if (access.saslScram256Auth) return 'scram-sha-256';
  if (access.saslPlainAuth) return 'sasl-plain';
  if (access.clientCertificateTlsAuth) return 'mtls';
  return access.serverRootCaCertificate ? 'tls' : 'plaintext';
}

async function loadHandler(handler: string, cwd: string): Promise<unknown> {
  const { file, exportName } = handlerLocation(handler, cwd);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const loaded = module[exportName];
  if (typeof loaded !== 'function') throw new DocsError(`${file} does not export a function '${exportName}'`);
  return loaded;
}

function packageVersion(cwd: string): string {
  const path = join(cwd, 'package.json');
  if (!existsSync(path)) return '0.0.0';
  const version = (JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}
