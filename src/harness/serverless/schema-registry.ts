// The `schemaRegistry` block of `msk`/`kafka` events: Lambda's SchemaRegistryConfig (provisioned mode only),
// and what the function's role needs for it.

/** `schemaRegistry` as written in serverless.yml (validated by osls against {@link schemaRegistryProperty}). */
export interface SchemaRegistryBlock {
  readonly uri: string;
  readonly eventRecordFormat: 'JSON' | 'SOURCE';
  readonly accessConfigs?: ReadonlyArray<{ readonly type: string; readonly uri: string }>;
  readonly schemaValidationConfigs?: ReadonlyArray<{ readonly attribute: 'KEY' | 'VALUE' }>;
}

/** The JSON Schema osls validates the block with. */
export const schemaRegistryProperty = {
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
} as const;

/** An IAM policy statement. */
export interface PolicyStatement {
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

const GLUE_REGISTRY_ARN = /^arn:(aws[a-z-]*):glue:([a-z0-9-]+):(\d{12}):registry\/(.+)$/;

/**
 * The mapping's SchemaRegistryConfig for `block`, and the statements its role needs (a Glue registry:
 * glue:GetRegistry and glue:GetSchemaVersion on the registry and its schemas; access-config secrets:
 * secretsmanager:GetSecretValue). Returns a problem instead when the URI is neither a Glue registry ARN
 * nor an http(s) URL.
 */
export function schemaRegistryConfig(
  block: SchemaRegistryBlock,
): { readonly config: Record<string, unknown>; readonly statements: PolicyStatement[] } | { readonly problem: string } {
  const glue = GLUE_REGISTRY_ARN.exec(block.uri);
  if (!glue && !/^https?:\/\//.test(block.uri))
    return { problem: 'schemaRegistry.uri must be a Glue registry ARN or a Confluent registry URL' };
  const config = {
    SchemaRegistryURI: block.uri,
    EventRecordFormat: block.eventRecordFormat,
    ...(block.accessConfigs ? { AccessConfigs: block.accessConfigs.map((a) => ({ Type: a.type, URI: a.uri })) } : {}),
    ...(block.schemaValidationConfigs
      ? { SchemaValidationConfigs: block.schemaValidationConfigs.map((v) => ({ Attribute: v.attribute })) }
      : {}),
  };
  const statements: PolicyStatement[] = [];
  if (glue) {
    const [, partition, region, account, name] = glue;
    statements.push({
      Effect: 'Allow',
      Action: ['glue:GetRegistry', 'glue:GetSchemaVersion'],
      Resource: [block.uri, `arn:${partition}:glue:${region}:${account}:schema/${name}/*`],
    });
  }
  const secrets = (block.accessConfigs ?? []).map((a) => a.uri);
  if (secrets.length > 0) statements.push({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secrets });
  return { config, statements };
}
