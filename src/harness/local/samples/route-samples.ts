import { readFileSync } from 'node:fs';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConfigError } from '../../../runtime/errors/index.js';
import type { Router } from '../../../runtime/router/router.js';
import { exampleOf } from '../../docs/examples.js';
import { convertSchema, embedSchema } from '../../docs/json-schema.js';
import { isSchemaCodec, type ReadyEncoder, readyEncoder, type ToolFraming } from '../../testing/route-codec.js';
import { avroExample } from './avro-example.js';

/** Sample values for one consumed topic, and where they came from. */
export interface TopicSamples {
  readonly topic: string;
  /** The route that consumes the topic, if any. */
  readonly route: string | undefined;
  /** `samples`: the user's samples file; `schema`: built from the route's schema; `placeholder`: nothing to go on. */
  readonly origin: 'samples' | 'schema' | 'placeholder';
  /** The encoded values (what a producer would send), one per record. */
  readonly values: ReadonlyArray<string | Buffer>;
  /** The same values before encoding (what Lambda renders in a schema registry's JSON mode). */
  readonly plain: readonly unknown[];
  /** The schema format of the route's codec (Avro, Protobuf, JSON Schema), if it has one. */
  readonly format?: ReadyEncoder['format'];
  /** Why the samples may not pass the route's schema (undefined when they do, or there is no schema). */
  readonly problem: string | undefined;
}

/** `{ "<topic>": [value, …] }`: sample values a user provides for topics whose schema cannot describe itself. */
export type SamplesFile = Readonly<Record<string, readonly unknown[]>>;

/** Reads a samples file, refusing anything but an object of arrays. */
export function readSamplesFile(path: string): SamplesFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read the samples file ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every(Array.isArray)) {
    throw new ConfigError(`The samples file ${path} must be a JSON object of arrays: { "<topic>": [value, …] }`);
  }
  return parsed as SamplesFile;
}

/**
 * `count` sample values for `topic`: from the samples file when it has the topic, else the example the docs
 * build from the JSON Schema of the route's schema (checked against the schema itself), else a placeholder
 * object. Values are encoded with the route's codec, readied as the router readies it, in the `framing`
 * asked for (default: the codec's own; `bare` for sample events, a registry for registry-checked topics).
 */
export async function samplesForTopic(
  router: Router | undefined,
  topic: string,
  options: { count: number; samples?: SamplesFile; framing?: ToolFraming },
): Promise<TopicSamples> {
  const compiled = router?.table.resolve(topic);
  const provided = options.samples?.[topic];
  const encoder = await readyEncoder(compiled?.codec, { topic, part: 'value' }, options.framing ?? 'route');
  const encode = (value: unknown): string | Buffer => encoder.encode(value) ?? Buffer.alloc(0);
  const repeat = (pick: (n: number) => unknown) => Array.from({ length: options.count }, (_, n) => pick(n));
  const base = { topic, route: compiled?.name, ...(encoder.format ? { format: encoder.format } : {}) };
  const schema = compiled?.schema;
  if (provided && provided.length > 0) {
    const values = repeat((n) => provided[n % provided.length]);
    return { ...base, origin: 'samples', values: values.map(encode), plain: values, problem: await firstProblem(schema, values) };
  }
  const conversion = schema ? await convertSchema(schema) : undefined;
  const codec = compiled?.codec;
  if (!conversion?.ok && isSchemaCodec(codec) && codec.declaration.format === 'AVRO') {
    // No Standard Schema, but the codec's own Avro schema says what a value looks like.
    const example = avroExample(codec.declaration.schema);
    if (example !== undefined) {
      const values = repeat(() => example);
      return { ...base, origin: 'schema', values: values.map(encode), plain: values, problem: await firstProblem(schema, [example]) };
    }
  }
  if (!conversion?.ok) {
    const values = repeat((n) => ({ example: n + 1 }));
    const problem = conversion ? `${conversion.reason}; pass --samples` : undefined;
    return { ...base, origin: 'placeholder', values: values.map(encode), plain: values, problem };
  }
  const { payload, components } = embedSchema(conversion.schema, 'Sample');
  const example = exampleOf(payload, components);
  const values = repeat(() => example);
  return { ...base, origin: 'schema', values: values.map(encode), plain: values, problem: await firstProblem(schema, [example]) };
}

async function firstProblem(schema: StandardSchemaV1 | undefined, values: readonly unknown[]): Promise<string | undefined> {
  if (!schema) return undefined;
  for (const value of values) {
    const result = await schema['~standard'].validate(value);
    if (result.issues?.length) {
      const issue = result.issues[0];
      const path = issue?.path?.map((part) => (typeof part === 'object' ? String(part.key) : String(part))).join('.');
      return `does not pass the route's schema${path ? ` at ${path}` : ''}: ${issue?.message}; pass --samples with values that do`;
    }
  }
  return undefined;
}
