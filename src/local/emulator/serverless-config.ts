import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EventSourceSettings } from './types.js';

/** A function as `serverless.yml` declares it, variables resolved. */
export interface ServerlessFunction {
  readonly name: string;
  /** `functions/validate-orders.handler` */
  readonly handler: string;
  readonly timeout: number;
  readonly eventSources: readonly EventSourceSettings[];
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Reads the service's functions through `serverless print` (the real osls),
 * so params, stages and `${…}` variables resolve exactly as on deploy.
 */
export async function loadServerlessFunctions(options: { cwd?: string; stage?: string } = {}): Promise<ServerlessFunction[]> {
  const args = [
    `${ROOT}node_modules/osls/bin/serverless.js`,
    'print',
    '--format',
    'json',
    ...(options.stage ? ['--stage', options.stage] : []),
  ];
  const env = { ...process.env };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[key];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`serverless print failed (${code}): ${stderr.trim()}`))));
  });
  const config = JSON.parse(output.slice(output.indexOf('{'))) as {
    provider?: { timeout?: number };
    functions?: Record<string, { handler: string; timeout?: number; events?: Array<Record<string, Record<string, unknown>>> }>;
  };
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
          ...pick(settings, ['batchSize', 'maximumBatchingWindow', 'maximumRetryAttempts'], 'number'),
          ...pick(settings, ['startingPosition', 'consumerGroupId', 'onFailureDestination'], 'string'),
          ...pick(settings, ['enabled', 'bisectBatchOnFunctionError'], 'boolean'),
          ...(kind === 'msk' && typeof settings.arn === 'string' ? { clusterArn: settings.arn } : {}),
        } as EventSourceSettings,
      ];
    }),
  }));
}

function pick(source: Record<string, unknown>, keys: string[], type: 'number' | 'string' | 'boolean'): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) {
    const value = type === 'number' && typeof source[key] === 'string' ? Number(source[key]) : source[key];
    if (typeof value === type) picked[key] = value;
  }
  return picked;
}
