// Types the schema codecs share. The codecs themselves are separate entry points
// (avro.ts, protobuf.ts, json-schema.ts): esbuild bundles every dynamic import it can
// see, so one barrel exporting all three would put avsc, protobufjs and ajv in every bundle.
export type { Framing } from './framing/detect.js';
export type { RegisteredSchema, ResolvedReference, SchemaFormat, SchemaRegistry, SchemaToRegister } from './registry.js';
export type { LambdaRecordFormat, SchemaCodec, SchemaCodecOptions, SchemaDeclaration } from './schema-codec.js';
