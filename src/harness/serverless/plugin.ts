/**
 * Serverless Framework (osls) plugin, `plugins: [kafka-lambda-router/serverless]`: the Kafka event source
 * mapping settings that osls's `msk` and `kafka` events cannot express, written on the events themselves and
 * validated by osls's own schema:
 *
 *   functionResponseTypes: [ReportBatchItemFailures]   partial batch responses
 *   bisectBatchOnFunctionError: true
 *   maximumRetryAttempts: 5                           -1 (infinite) or 0..10000
 *   maximumRecordAgeInSeconds: 3600                   -1 or 60..604800
 *   onFailureDestination: kafka://orders.failed       msk (kafka has it natively)
 *   pollerGroupName: shared-pollers                   with provisionedPollerConfig
 *   maximumBatchingWindow: 0                          osls drops a 0; this keeps it
 *   schemaRegistry: { uri, eventRecordFormat, accessConfigs?, schemaValidationConfigs? }   SchemaRegistryConfig
 *
 * `filterPatterns` (osls's own property, written by osls as FilterCriteria) is checked at package time against
 * Lambda's rules for Kafka (value only; key with a registry validating KEY; the operators Lambda lists), so a
 * pattern the emulator would refuse is refused before deploy too.
 *
 * Error controls and schema registries only work in provisioned mode, so setting them without
 * `provisionedPollerConfig` is refused at package time instead of at deploy time. A Glue registry adds
 * glue:GetRegistry/GetSchemaVersion, registry secrets secretsmanager:GetSecretValue, to the function's role. osls loads plugins with require(): this ES module is loaded through
 * Node's require(esm) (Node 20.19+), or through osls's import() fallback, and osls takes its default export.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { kafkaRecordFilter } from '../filter-criteria/kafka-filter.js';
import { saslTransportProblem } from './sasl-transport.js';
import { type SchemaRegistryBlock, schemaRegistryConfig, schemaRegistryProperty } from './schema-registry.js';

const SHIM_MARKER = '// Written by kafka-esm-settings for serverless invoke local only.';

const ERROR_CONTROLS = [
  'functionResponseTypes',
  'bisectBatchOnFunctionError',
  'maximumRetryAttempts',
  'maximumRecordAgeInSeconds',
  'onFailureDestination',
] as const;

const sharedProperties = {
  functionResponseTypes: { type: 'array', items: { enum: ['ReportBatchItemFailures'] }, maxItems: 1 },
  bisectBatchOnFunctionError: { type: 'boolean' },
  maximumRetryAttempts: { type: 'integer', minimum: -1, maximum: 10000 },
  maximumRecordAgeInSeconds: { anyOf: [{ const: -1 }, { type: 'integer', minimum: 60, maximum: 604800 }] },
  pollerGroupName: { type: 'string', minLength: 1, maxLength: 128 },
  schemaRegistry: schemaRegistryProperty,
};

/** The settings of one `msk` or `kafka` event, as osls hands them over after validation. */
interface KafkaEventSettings {
  readonly topic: string;
  readonly provisionedPollerConfig?: unknown;
  readonly functionResponseTypes?: string[];
  readonly bisectBatchOnFunctionError?: boolean;
  readonly maximumRetryAttempts?: number;
  readonly maximumRecordAgeInSeconds?: number;
  readonly onFailureDestination?: string;
  readonly pollerGroupName?: string;
  readonly maximumBatchingWindow?: number;
  readonly schemaRegistry?: SchemaRegistryBlock;
  readonly filterPatterns?: readonly unknown[];
}

/** A CloudFormation resource of the compiled template. */
interface Resource {
  readonly Type: string;
  Properties: Record<string, unknown>;
}

/** The part of osls's `serverless` object this plugin uses. */
export interface ServerlessInstance {
  readonly configSchemaHandler: { defineFunctionEventProperties(provider: string, event: string, schema: object): void };
  readonly service: {
    readonly provider: {
      readonly compiledCloudFormationTemplate: { readonly Resources: Record<string, Resource> };
      readonly environment?: Record<string, unknown>;
    };
    getAllFunctions(): string[];
    getFunction(name: string): {
      handler?: string;
      environment?: Record<string, unknown>;
      events?: Array<{ msk?: KafkaEventSettings; kafka?: KafkaEventSettings }>;
    };
  };
  readonly config: { readonly servicePath?: string };
  readonly serviceDir?: string;
  readonly processedInput?: { readonly options?: { readonly function?: string } };
  readonly classes: { readonly Error: new (message: string) => Error };
  getProvider(name: 'aws'): { readonly naming: { getLambdaLogicalId(functionName: string): string } };
  readonly cli?: { log?(message: string): void };
}

/** The osls plugin: ESM settings osls lacks, checked at package time, and `.mjs` bundles for invoke local. */
export default class KafkaEsmSettingsPlugin {
  /** osls's lifecycle hooks this plugin runs in. */
  readonly hooks: Record<string, () => void>;
  private shims: string[] = [];

  constructor(
    private readonly serverless: ServerlessInstance,
    private readonly options: { function?: string } = {},
  ) {
    const schema = serverless.configSchemaHandler;
    schema.defineFunctionEventProperties('aws', 'msk', {
      properties: { ...sharedProperties, onFailureDestination: { type: 'string', pattern: '^(kafka://|arn:)' } },
    });
    schema.defineFunctionEventProperties('aws', 'kafka', { properties: sharedProperties });
    this.hooks = {
      // Before anything is built: a config that would put SASL credentials on a plaintext path is refused outright.
      'before:package:initialize': () => this.refuseSaslOverPlaintext(),
      'after:package:compileEvents': () => this.apply(),
      'before:invoke:local:invoke': () => this.shimEsmHandlerForInvokeLocal(),
      'after:invoke:local:invoke': () => this.removeShims(),
      // A crashed invoke may leave a shim behind: never let one reach a deployment package.
      'before:package:cleanup': () => this.removeShims(),
    };
  }

  /** Throws for the first function whose publisher settings pair SASL credentials with plaintext (see saslTransportProblem). */
  private refuseSaslOverPlaintext(): void {
    const { service } = this.serverless;
    for (const functionName of service.getAllFunctions()) {
      const environment = { ...(service.provider.environment ?? {}), ...(service.getFunction(functionName).environment ?? {}) };
      const problem = saslTransportProblem(functionName, environment);
      if (problem) throw new this.serverless.classes.Error(`kafka-esm-settings: ${problem}`);
    }
  }

  /**
   * `serverless invoke local` loads handlers with require() (.js/.cjs only), while the Lambda runtime needs
   * `.mjs` for an ES-module bundle. For a local invoke only, write a CommonJS file next to the bundle that imports it.
   */
  private shimEsmHandlerForInvokeLocal(): void {
    const fn = this.serverless.service.getFunction(this.serverless.processedInput?.options?.function ?? this.options.function ?? '');
    if (!fn?.handler) return;
    const dot = fn.handler.lastIndexOf('.');
    // serverless-esbuild points servicePath at its build folder for local invokes.
    const serviceDir = this.serverless.config.servicePath ?? this.serverless.serviceDir ?? process.cwd();
    const modulePath = join(serviceDir, fn.handler.slice(0, dot));
    const exportName = JSON.stringify(fn.handler.slice(dot + 1));
    if (!existsSync(`${modulePath}.mjs`) || existsSync(`${modulePath}.js`)) return;
    const target = JSON.stringify(`./${basename(modulePath)}.mjs`);
    this.shims.push(`${modulePath}.cjs`);
    writeFileSync(
      `${modulePath}.cjs`,
      `'use strict';\n${SHIM_MARKER}\nexports[${exportName}] = (event, context) => import(${target}).then((m) => m[${exportName}](event, context));\n`,
    );
  }

  /** Deletes the invoke-local shims this plugin wrote (and any left in the esbuild work folder). */
  private removeShims(): void {
    const work = join(this.serverless.serviceDir ?? process.cwd(), '.esbuild');
    const candidates = [...this.shims];
    if (existsSync(work)) {
      for (const entry of readdirSync(work, { recursive: true }))
        if (String(entry).endsWith('.cjs')) candidates.push(join(work, String(entry)));
    }
    for (const file of candidates) {
      if (existsSync(file) && readFileSync(file, 'utf8').includes(SHIM_MARKER)) rmSync(file);
    }
    this.shims = [];
  }

  /** Writes the settings onto each function's EventSourceMapping in the compiled template. */
  private apply(): void {
    const service = this.serverless.service;
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const naming = this.serverless.getProvider('aws').naming;
    for (const functionName of service.getAllFunctions()) {
      const functionLogicalId = naming.getLambdaLogicalId(functionName);
      for (const event of service.getFunction(functionName).events ?? []) {
        const kind = event.msk ? 'msk' : event.kafka ? 'kafka' : undefined;
        const settings = event.msk ?? event.kafka;
        if (!kind || !settings) continue;
        const [logicalId, resource] = findMapping(resources, functionLogicalId, settings.topic);
        if (!resource) {
          throw new this.serverless.classes.Error(
            `kafka-esm-settings: no event source mapping found for ${functionName} / ${settings.topic}`,
          );
        }
        const used = ERROR_CONTROLS.filter((key) => settings[key] !== undefined && !(kind === 'kafka' && key === 'onFailureDestination'));
        if (used.length > 0 && !settings.provisionedPollerConfig) {
          throw new this.serverless.classes.Error(
            `kafka-esm-settings: ${functionName} / ${settings.topic} sets ${used.join(', ')}, which Lambda honours only in provisioned mode: add provisionedPollerConfig`,
          );
        }
        const properties = resource.Properties;
        if (settings.filterPatterns) this.checkFilterPatterns(functionName, settings, settings.filterPatterns);
        if (settings.schemaRegistry) this.applySchemaRegistry(kind, functionName, settings, settings.schemaRegistry, properties, resources);
        if (settings.functionResponseTypes) properties.FunctionResponseTypes = settings.functionResponseTypes;
        if (settings.bisectBatchOnFunctionError !== undefined) properties.BisectBatchOnFunctionError = settings.bisectBatchOnFunctionError;
        if (settings.maximumRetryAttempts !== undefined) properties.MaximumRetryAttempts = settings.maximumRetryAttempts;
        if (settings.maximumRecordAgeInSeconds !== undefined) properties.MaximumRecordAgeInSeconds = settings.maximumRecordAgeInSeconds;
        if (kind === 'msk' && settings.onFailureDestination) {
          properties.DestinationConfig = { OnFailure: { Destination: settings.onFailureDestination } };
        }
        if (settings.maximumBatchingWindow === 0) properties.MaximumBatchingWindowInSeconds = 0;
        if (settings.pollerGroupName) {
          const pollers = (properties.ProvisionedPollerConfig ?? {}) as Record<string, unknown>;
          properties.ProvisionedPollerConfig = { ...pollers, PollerGroupName: settings.pollerGroupName };
        }
        this.serverless.cli?.log?.(`kafka-esm-settings: ${logicalId} configured`);
      }
    }
  }

  /** Checks the filter patterns as Lambda would (osls itself writes them as FilterCriteria, for msk and kafka alike). */
  private checkFilterPatterns(functionName: string, settings: KafkaEventSettings, patterns: readonly unknown[]): void {
    const keyFilterable = (settings.schemaRegistry?.schemaValidationConfigs ?? []).some((config) => config.attribute === 'KEY');
    try {
      kafkaRecordFilter(patterns, { keyFilterable });
    } catch (error) {
      throw new this.serverless.classes.Error(`kafka-esm-settings: ${functionName} / ${settings.topic}: ${(error as Error).message}`);
    }
  }

  /** Writes SchemaRegistryConfig into the mapping and adds what the role needs for it. */
  private applySchemaRegistry(
    kind: 'msk' | 'kafka',
    functionName: string,
    settings: KafkaEventSettings,
    block: SchemaRegistryBlock,
    properties: Record<string, unknown>,
    resources: Record<string, Resource>,
  ): void {
    const where = `kafka-esm-settings: ${functionName} / ${settings.topic}`;
    if (!settings.provisionedPollerConfig) {
      throw new this.serverless.classes.Error(
        `${where} sets schemaRegistry, which Lambda supports only in provisioned mode: add provisionedPollerConfig`,
      );
    }
    const built = schemaRegistryConfig(block);
    if ('problem' in built) throw new this.serverless.classes.Error(`${where}: ${built.problem}`);
    const target = kind === 'msk' ? 'AmazonManagedKafkaEventSourceConfig' : 'SelfManagedKafkaEventSourceConfig';
    properties[target] = { ...((properties[target] as Record<string, unknown> | undefined) ?? {}), SchemaRegistryConfig: built.config };
    if (built.statements.length === 0) return;
    const role = resources.IamRoleLambdaExecution?.Properties as
      | { Policies?: Array<{ PolicyDocument?: { Statement: unknown[] } }> }
      | undefined;
    const policy = role?.Policies?.[0]?.PolicyDocument;
    if (!policy) {
      const actions = built.statements.flatMap((s) => s.Action).join(', ');
      this.serverless.cli?.log?.(`${where}: the function uses its own IAM role: give it ${actions} for the schema registry`);
      return;
    }
    for (const statement of built.statements) {
      const json = JSON.stringify(statement);
      if (!policy.Statement.some((existing) => JSON.stringify(existing) === json)) policy.Statement.push(statement);
    }
  }
}

/** The EventSourceMapping of `functionLogicalId` for `topic`. */
function findMapping(
  resources: Record<string, Resource>,
  functionLogicalId: string,
  topic: string,
): [string, Resource] | [undefined, undefined] {
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const targetsFunction = JSON.stringify(resource.Properties.FunctionName).includes(`"${functionLogicalId}"`);
    const topics = resource.Properties.Topics;
    if (targetsFunction && Array.isArray(topics) && topics.includes(topic)) return [logicalId, resource];
  }
  return [undefined, undefined];
}
