'use strict';
/**
 * Serverless Framework (osls) plugin: the Kafka event source mapping settings
 * that osls's `msk` and `kafka` events cannot express, written on the events
 * themselves and validated by osls's own schema:
 *
 *   functionResponseTypes: [ReportBatchItemFailures]   partial batch responses
 *   bisectBatchOnFunctionError: true
 *   maximumRetryAttempts: 5                           -1 (infinite) or 0..10000
 *   maximumRecordAgeInSeconds: 3600                   -1 or 60..604800
 *   onFailureDestination: kafka://orders.failed       msk (kafka has it natively)
 *   pollerGroupName: shared-pollers                   with provisionedPollerConfig
 *   maximumBatchingWindow: 0                          osls drops a 0; this keeps it
 *   schemaRegistry:                                   SchemaRegistryConfig (Glue registry ARN or Confluent URL)
 *     uri: arn:aws:glue:…:registry/orders
 *     eventRecordFormat: SOURCE                       or JSON
 *     accessConfigs: [{ type: BASIC_AUTH, uri: arn:aws:secretsmanager:… }]
 *     schemaValidationConfigs: [{ attribute: VALUE }]
 *
 * Error controls and schema registries only work in provisioned mode, so setting
 * them without `provisionedPollerConfig` is refused at package time instead of at
 * deploy time. A Glue registry gets `glue:GetRegistry`/`glue:GetSchemaVersion` and
 * registry secrets `secretsmanager:GetSecretValue` on the function's role.
 */

const SHIM_MARKER = '// Written by kafka-esm-settings for serverless invoke local only.';

const ERROR_CONTROLS = [
  'functionResponseTypes',
  'bisectBatchOnFunctionError',
  'maximumRetryAttempts',
  'maximumRecordAgeInSeconds',
  'onFailureDestination',
];

const sharedProperties = {
  functionResponseTypes: { type: 'array', items: { enum: ['ReportBatchItemFailures'] }, maxItems: 1 },
  bisectBatchOnFunctionError: { type: 'boolean' },
  maximumRetryAttempts: { type: 'integer', minimum: -1, maximum: 10000 },
  maximumRecordAgeInSeconds: { anyOf: [{ const: -1 }, { type: 'integer', minimum: 60, maximum: 604800 }] },
  pollerGroupName: { type: 'string', minLength: 1, maxLength: 128 },
  schemaRegistry: {
    type: 'object',
    properties: {
      uri: { type: 'string', minLength: 1 },
      eventRecordFormat: { enum: ['JSON', 'SOURCE'] },
      accessConfigs: {
        type: 'array',
        maxItems: 2,
        items: {
          type: 'object',
          properties: {
            type: { enum: ['BASIC_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH', 'SERVER_ROOT_CA_CERTIFICATE'] },
            uri: { type: 'string', pattern: '^arn:' },
          },
          required: ['type', 'uri'],
          additionalProperties: false,
        },
      },
      schemaValidationConfigs: {
        type: 'array',
        maxItems: 2,
        items: {
          type: 'object',
          properties: { attribute: { enum: ['KEY', 'VALUE'] } },
          required: ['attribute'],
          additionalProperties: false,
        },
      },
    },
    required: ['uri', 'eventRecordFormat'],
    additionalProperties: false,
  },
};

const GLUE_REGISTRY_ARN = /^arn:(aws[a-z-]*):glue:([a-z0-9-]+):(\d{12}):registry\/(.+)$/;

class KafkaEsmSettingsPlugin {
  /** @param {any} serverless @param {any} options */
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    const schema = serverless.configSchemaHandler;
    schema.defineFunctionEventProperties('aws', 'msk', {
      properties: { ...sharedProperties, onFailureDestination: { type: 'string', pattern: '^(kafka://|arn:)' } },
    });
    schema.defineFunctionEventProperties('aws', 'kafka', { properties: sharedProperties });
    this.hooks = {
      'after:package:compileEvents': () => this.apply(),
      'before:invoke:local:invoke': () => this.shimEsmHandlerForInvokeLocal(),
      'after:invoke:local:invoke': () => this.removeShims(),
      // A crashed invoke may leave a shim behind: never let one reach a deployment package.
      'before:package:cleanup': () => this.removeShims(),
    };
    this.shims = [];
  }

  /**
   * `serverless invoke local` loads handlers with require() (.js/.cjs only),
   * while the Lambda runtime needs `.mjs` for an ES-module bundle. For a local
   * invoke only, write a CommonJS file next to the bundle that imports it.
   */
  shimEsmHandlerForInvokeLocal() {
    const fs = require('node:fs');
    const path = require('node:path');
    const fn = this.serverless.service.getFunction(this.serverless.processedInput?.options?.function ?? this.options?.function);
    if (!fn?.handler) return;
    const dot = fn.handler.lastIndexOf('.');
    // serverless-esbuild points servicePath at its build folder for local invokes.
    const serviceDir = this.serverless.config.servicePath ?? this.serverless.serviceDir;
    const modulePath = path.join(serviceDir, fn.handler.slice(0, dot));
    const exportName = fn.handler.slice(dot + 1);
    if (!fs.existsSync(`${modulePath}.mjs`) || fs.existsSync(`${modulePath}.js`)) return;
    const target = JSON.stringify(`./${path.basename(modulePath)}.mjs`);
    this.shims.push(`${modulePath}.cjs`);
    fs.writeFileSync(
      `${modulePath}.cjs`,
      `'use strict';\n${SHIM_MARKER}\nexports[${JSON.stringify(exportName)}] = (event, context) => import(${target}).then((m) => m[${JSON.stringify(exportName)}](event, context));\n`,
    );
  }

  /** Deletes the invoke-local shims this plugin wrote (and any left in the esbuild work folder). */
  removeShims() {
    const fs = require('node:fs');
    const path = require('node:path');
    const work = path.join(this.serverless.serviceDir ?? process.cwd(), '.esbuild');
    const candidates = [...this.shims];
    if (fs.existsSync(work)) {
      for (const entry of fs.readdirSync(work, { recursive: true }))
        if (String(entry).endsWith('.cjs')) candidates.push(path.join(work, String(entry)));
    }
    for (const file of candidates) {
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(SHIM_MARKER)) fs.rmSync(file);
    }
    this.shims = [];
  }

  apply() {
    const service = this.serverless.service;
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const naming = this.serverless.getProvider('aws').naming;
    for (const functionName of service.getAllFunctions()) {
      const functionLogicalId = naming.getLambdaLogicalId(functionName);
      for (const event of service.getFunction(functionName).events ?? []) {
        const kind = event.msk ? 'msk' : event.kafka ? 'kafka' : undefined;
        if (!kind) continue;
        const settings = event[kind];
        const [logicalId, resource] = findMapping(resources, functionLogicalId, settings.topic);
        if (!resource) {
          throw new this.serverless.classes.Error(
            `kafka-esm-settings: no event source mapping found for ${functionName} / ${settings.topic}`,
          );
        }
        const properties = resource.Properties;
        const used = ERROR_CONTROLS.filter((key) => settings[key] !== undefined && !(kind === 'kafka' && key === 'onFailureDestination'));
        if (used.length > 0 && !settings.provisionedPollerConfig) {
          throw new this.serverless.classes.Error(
            `kafka-esm-settings: ${functionName} / ${settings.topic} sets ${used.join(', ')}, which Lambda honours only in provisioned mode: add provisionedPollerConfig`,
          );
        }
        if (settings.schemaRegistry) this.applySchemaRegistry(kind, functionName, settings, properties, resources);
        if (settings.functionResponseTypes) properties.FunctionResponseTypes = settings.functionResponseTypes;
        if (settings.bisectBatchOnFunctionError !== undefined) properties.BisectBatchOnFunctionError = settings.bisectBatchOnFunctionError;
        if (settings.maximumRetryAttempts !== undefined) properties.MaximumRetryAttempts = settings.maximumRetryAttempts;
        if (settings.maximumRecordAgeInSeconds !== undefined) properties.MaximumRecordAgeInSeconds = settings.maximumRecordAgeInSeconds;
        if (kind === 'msk' && settings.onFailureDestination) {
          properties.DestinationConfig = { OnFailure: { Destination: settings.onFailureDestination } };
        }
        if (settings.maximumBatchingWindow === 0) properties.MaximumBatchingWindowInSeconds = 0;
        if (settings.pollerGroupName) {
          properties.ProvisionedPollerConfig = { ...(properties.ProvisionedPollerConfig ?? {}), PollerGroupName: settings.pollerGroupName };
        }
        this.serverless.cli?.log?.(`kafka-esm-settings: ${logicalId} configured`);
      }
    }
  }
}

/** Adds the schema registry block to the mapping (and what the role needs to use it). */
KafkaEsmSettingsPlugin.prototype.applySchemaRegistry = function applySchemaRegistry(kind, functionName, settings, properties, resources) {
  const registry = settings.schemaRegistry;
  if (!settings.provisionedPollerConfig) {
    throw new this.serverless.classes.Error(
      `kafka-esm-settings: ${functionName} / ${settings.topic} sets schemaRegistry, which Lambda supports only in provisioned mode: add provisionedPollerConfig`,
    );
  }
  const glue = GLUE_REGISTRY_ARN.exec(registry.uri);
  if (!glue && !/^https?:\/\//.test(registry.uri)) {
    throw new this.serverless.classes.Error(
      `kafka-esm-settings: ${functionName} / ${settings.topic}: schemaRegistry.uri must be a Glue registry ARN or a Confluent registry URL`,
    );
  }
  const config = {
    SchemaRegistryURI: registry.uri,
    EventRecordFormat: registry.eventRecordFormat,
    ...(registry.accessConfigs ? { AccessConfigs: registry.accessConfigs.map((a) => ({ Type: a.type, URI: a.uri })) } : {}),
    ...(registry.schemaValidationConfigs
      ? { SchemaValidationConfigs: registry.schemaValidationConfigs.map((v) => ({ Attribute: v.attribute })) }
      : {}),
  };
  const target = kind === 'msk' ? 'AmazonManagedKafkaEventSourceConfig' : 'SelfManagedKafkaEventSourceConfig';
  properties[target] = { ...(properties[target] ?? {}), SchemaRegistryConfig: config };

  const statements = [];
  if (glue) {
    const [, partition, region, account, name] = glue;
    statements.push({
      Effect: 'Allow',
      Action: ['glue:GetRegistry', 'glue:GetSchemaVersion'],
      Resource: [registry.uri, `arn:${partition}:glue:${region}:${account}:schema/${name}/*`],
    });
  }
  const secrets = (registry.accessConfigs ?? []).map((a) => a.uri);
  if (secrets.length > 0) statements.push({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secrets });
  if (statements.length === 0) return;
  const role = resources.IamRoleLambdaExecution;
  const policy = role?.Properties?.Policies?.[0]?.PolicyDocument;
  if (!policy) {
    this.serverless.cli?.log?.(
      `kafka-esm-settings: ${functionName} uses its own IAM role: give it ${statements.flatMap((s) => s.Action).join(', ')} for the schema registry`,
    );
    return;
  }
  for (const statement of statements) {
    const json = JSON.stringify(statement);
    if (!policy.Statement.some((existing) => JSON.stringify(existing) === json)) policy.Statement.push(statement);
  }
};

/** The EventSourceMapping of `functionLogicalId` for `topic`. */
function findMapping(resources, functionLogicalId, topic) {
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const target = resource.Properties?.FunctionName;
    const targetsFunction = JSON.stringify(target).includes(`"${functionLogicalId}"`);
    if (targetsFunction && (resource.Properties.Topics ?? []).includes(topic)) return [logicalId, resource];
  }
  return [undefined, undefined];
}

module.exports = KafkaEsmSettingsPlugin;
