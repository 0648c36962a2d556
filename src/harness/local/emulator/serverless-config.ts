import { ConfigError } from '../../../runtime/errors/index.js';
import { runServerless } from '../serverless-cli.js';
import type { SchemaRegistrySettings } from './schema-registry-mode.js';
import type { EventSourceSettings } from './types.js';

/** A function as `serverless.yml` declares it, variables resolved. */
export interface ServerlessFunction {
  readonly name: string;
  /** `functions/validate-orders.handler` */
  readonly handler: string;
  readonly timeout: number;
  readonly eventSources: readonly EventSourceSettings[];
}

/** `serverless.yml` as `serverless print` resolves it: the parts the local tools read. */
export interface ResolvedServerlessConfig {
  readonly service?: string;
  readonly provider?: { readonly timeout?: number; readonly environment?: Record<string, unknown> };
  readonly functions?: Record<
    string,
    {
      readonly handler: string;
      readonly timeout?: number;
      readonly environment?: Record<string, unknown>;
      readonly events?: Array<Record<string, Record<string, unknown>>>;
    }
  >;
}

/** Which service to read: its folder, the config file in it when not the default name, and the stage. */
export interface ServiceSelection {
  /** The service folder (default: the working directory). */
  readonly cwd?: string;
  /** A config file name in that folder other than serverless.yml. */
  readonly config?: string;
  readonly stage?: string;
}

/**
 * Runs `serverless print` (the real osls, offline), so params, stages and
 * `${…}` variables resolve exactly as on deploy.
 */
export async function printServerlessConfig(options: ServiceSelection = {}): Promise<ResolvedServerlessConfig> {
  const run = await runServerless(
    [
      'print',
      '--format',
      'json',
      ...(options.stage ? ['--stage', options.stage] : []),
      ...(options.config ? ['--config', options.config] : []),
    ],
    options.cwd ? { cwd: options.cwd } : {},
  );
  if (run.code !== 0) {
    // osls prints its error on stdout and its environment on stderr: keep both.
    const output = [run.stdout.trim(), run.stderr.trim()].filter(Boolean).join('\n');
    throw new ConfigError(`serverless print failed (${run.code}): ${output}`);
  }
  const output = run.stdout;
  return JSON.parse(output.slice(output.indexOf('{'))) as ResolvedServerlessConfig;
}

/** Reads the service's functions through `serverless print` (see {@link printServerlessConfig}). */
export async function loadServerlessFunctions(options: ServiceSelection = {}): Promise<ServerlessFunction[]> {
  const config = await printServerlessConfig(options);
  return Object.entries(config.functions ?? {}).map(([name, fn]) => ({
    name,
    handler: fn.handler,
    timeout: fn.timeout ?? config.provider?.timeout ?? 6,
    eventSources: (fn.events ?? []).flatMap((event) => {
      const kind = event.msk ? 'msk' : event.kafka ? 'kafka' : undefined;
      const settings = kind ? event[kind] : undefined;
      if (!kind || !settings) return [];
      return [
        {
          kind,
          topic: String(settings.topic),
          ...pick(settings, ['batchSize', 'maximumBatchingWindow', 'maximumRetryAttempts', 'startingPositionTimestamp'], 'number'),
          ...pick(settings, ['startingPosition', 'consumerGroupId', 'onFailureDestination'], 'string'),
          ...pick(settings, ['enabled', 'bisectBatchOnFunctionError'], 'boolean'),
          ...(kind === 'msk' && typeof settings.arn === 'string' ? { clusterArn: settings.arn } : {}),
          ...(kind === 'kafka' && Array.isArray(settings.bootstrapServers)
            ? { bootstrapServers: settings.bootstrapServers.map(String) }
            : {}),
          ...schemaRegistryOf(settings.schemaRegistry),
          ...(Array.isArray(settings.filterPatterns) ? { filterPatterns: settings.filterPatterns } : {}),
        } as EventSourceSettings,
      ];
    }),
  }));
}

function schemaRegistryOf(block: unknown): { schemaRegistry?: SchemaRegistrySettings } {
  if (typeof block !== 'object' || block === null) return {};
  const { uri, eventRecordFormat, schemaValidationConfigs } = block as Record<string, unknown>;
  if (typeof uri !== 'string') return {};
  const attributes = Array.isArray(schemaValidationConfigs)
    ? schemaValidationConfigs
        .map((c) => (c as { attribute?: unknown }).attribute)
        .filter((a): a is 'KEY' | 'VALUE' => a === 'KEY' || a === 'VALUE')
    : [];
  return { schemaRegistry: { uri, eventRecordFormat: eventRecordFormat === 'JSON' ? 'JSON' : 'SOURCE', attributes } };
}

function pick(source: Record<string, unknown>, keys: string[], type: 'number' | 'string' | 'boolean'): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) {
    const value = type === 'number' && typeof source[key] === 'string' ? Number(source[key]) : source[key];
    if (typeof value === type) picked[key] = value;
  }
  return picked;
}
