import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type RecordCoordinates, type SchemaIssue, SchemaValidationError } from '../errors/index.js';

/**
 * Validates with any Standard Schema (zod, valibot, arktype…). Synchronous
 * schemas stay synchronous: no promise, no microtask per record.
 */
export function validateWithSchema<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
  at: RecordCoordinates,
): StandardSchemaV1.InferOutput<S> | Promise<StandardSchemaV1.InferOutput<S>> {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) return result.then((settled) => unwrap(settled, at));
  return unwrap(result, at);
}

function unwrap<T>(result: StandardSchemaV1.Result<T>, at: RecordCoordinates): T {
  if (result.issues) throw new SchemaValidationError(result.issues.map(toIssue), at);
  return result.value;
}

function toIssue(issue: StandardSchemaV1.Issue): SchemaIssue {
  const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
  return { message: issue.message, path };
}
