// The schema registry clients (entry `kafka-lambda-router/registry`). The Glue client imports the AWS SDK only at its first lookup.

export type { RegisteredSchema, ResolvedReference, SchemaFormat, SchemaRegistry, SchemaToRegister } from '../codec/registry.js';
export { type BasicAuth, type ConfluentRegistry, type ConfluentRegistryOptions, confluentRegistry, type RegistryTls } from './confluent.js';
export { confluentRegistryFromEnv, type RegistryEnvOptions } from './from-env.js';
export { type GlueRegistry, type GlueRegistryOptions, glueRegistry } from './glue.js';
