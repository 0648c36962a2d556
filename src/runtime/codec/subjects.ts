// Publishing through a Confluent registry: subject names and when schemas are registered.
import { ConfigError } from '../errors/index.js';
import type { EncodeTarget } from '../event/codec.js';

/**
 * Confluent's subject name strategies: `topic` (TopicNameStrategy, `<topic>-value`),
 * `record` (RecordNameStrategy, the record's full name), `topic-record`
 * (TopicRecordNameStrategy, `<topic>-<full name>`), or your own function.
 */
export type SubjectNameStrategy =
  | 'topic'
  | 'record'
  | 'topic-record'
  | ((target: EncodeTarget & { readonly recordName: string | undefined }) => string);

/** The subject a value published to `target` is registered under. */
export function subjectName(strategy: SubjectNameStrategy, target: EncodeTarget, recordName: string | undefined): string {
  if (typeof strategy === 'function') return strategy({ ...target, recordName });
  if (strategy === 'topic') return `${target.topic}-${target.part}`;
  if (!recordName)
    throw new ConfigError(`The '${strategy}' subject name strategy needs a named record (Avro name, Protobuf message, JSON Schema title)`);
  return strategy === 'record' ? recordName : `${target.topic}-${recordName}`;
}

/**
 * Whether publishing registers missing schemas by default: on locally (tests,
 * `npm run dev`, `serverless invoke local`), off when deployed to Lambda, where
 * schemas should be registered by the deployment. `SCHEMA_REGISTRY_AUTO_REGISTER=true|false` overrides.
 */
export function autoRegisterDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  const explicit = env.SCHEMA_REGISTRY_AUTO_REGISTER;
  if (explicit === 'true' || explicit === 'false') return explicit === 'true';
  const deployed = Boolean(env.AWS_EXECUTION_ENV) && env.IS_LOCAL !== 'true';
  return !deployed;
}

/** Map key of a target. */
export function targetKey(target: EncodeTarget): string {
  return `${target.part}\u0000${target.topic}`;
}
