import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** A JSON Schema document, as plain data. */
export type JsonSchema = Record<string, unknown>;

type WithJsonSchema = { '~standard': { jsonSchema?: { input(options: { target: string }): JsonSchema } } };

/**
 * The JSON Schema of a route's value schema, for sample values: the Standard JSON Schema interface when the
 * library implements it (zod classic, arktype, valibot's adapter), else zod's own converter from the service's
 * zod (zod/mini leaves the interface out to stay small). Undefined when neither is available.
 */
export async function jsonSchemaOf(schema: StandardSchemaV1, serviceDir: string): Promise<JsonSchema | undefined> {
  const converter = (schema as unknown as WithJsonSchema)['~standard'].jsonSchema;
  if (converter) return converter.input({ target: 'draft-2020-12' });
  if (schema['~standard'].vendor === 'zod') {
    const core = (await importFromService(serviceDir, 'zod', './v4/core')) as {
      toJSONSchema?: (schema: unknown, options: object) => JsonSchema;
    };
    return core?.toJSONSchema?.(schema, { io: 'input', unrepresentable: 'any' });
  }
  return undefined;
}

/** Imports a package's ES module entry as the service itself would resolve it, or undefined when the service does not have it. */
async function importFromService(serviceDir: string, name: string, subpath: string): Promise<unknown> {
  let manifestPath: string;
  try {
    manifestPath = createRequire(join(serviceDir, 'package.json')).resolve(`${name}/package.json`);
  } catch {
    return undefined; // the service does not depend on it
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, unknown> };
  const target = manifest.exports?.[subpath] as { import?: unknown; default?: unknown } | string | undefined;
  const file = typeof target === 'string' ? target : (target?.import ?? target?.default);
  return typeof file === 'string' ? import(pathToFileURL(join(dirname(manifestPath), file)).href) : undefined;
}
