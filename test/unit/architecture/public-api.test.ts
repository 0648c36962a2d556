import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The main entry is what every function bundle imports and every user reads first: it stays small. Names that
// only some users need live on their own entries (./errors, ./avro, ./protobuf, ./json-schema, ./registry,
// ./testing). The list is written out so that a new name is a visible, reviewed change, not a creeping count.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LIMIT = 60;

const ENTRIES = [
  'src/runtime/index.ts',
  'src/runtime/codec/avro.ts',
  'src/runtime/codec/protobuf.ts',
  'src/runtime/codec/json-schema.ts',
  'src/runtime/registry/index.ts',
];
// One program for every entry: the checker is the slow part.
const program = ts.createProgram(
  ENTRIES.map((entry) => `${ROOT}${entry}`),
  { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
);
const checker = program.getTypeChecker();

/** Every name an entry exports, types and values, as the TypeScript checker resolves them (re-exports followed). */
function exportedNames(entry: string): string[] {
  const file = program.getSourceFile(`${ROOT}${entry}`);
  const symbol = file ? checker.getSymbolAtLocation(file) : undefined;
  if (!symbol) throw new Error(`${entry}: no module symbol`);
  return checker
    .getExportsOfModule(symbol)
    .map((s) => s.getName())
    .sort();
}

describe('the public API', () => {
  const main = exportedNames('src/runtime/index.ts');

  it(`has at most ${LIMIT} names on the main entry, and exactly these`, () => {
    expect(main.length).toBeLessThanOrEqual(LIMIT);
    expect(main).toEqual(
      [
        'BatchContext',
        'BatchItem',
        'BatchRoute',
        'Codec',
        'DLT_HEADERS',
        'DispatchReport',
        'HandlerContext',
        'HeaderInput',
        'IdempotencyOptions',
        'IdempotencyStore',
        'KafkaAuth',
        'KafkaAuthMechanism',
        'KafkaBatchItemFailure',
        'KafkaBatchResponse',
        'KafkaEvent',
        'KafkaHandlerOptions',
        'KafkaHeader',
        'KafkaHeaders',
        'KafkaLambdaHandler',
        'KafkaPublisher',
        'KafkaPublisherOptions',
        'KafkaRecord',
        'LINEAGE_HEADERS',
        'LambdaContext',
        'LaneReport',
        'LogLevel',
        'Logger',
        'MessagePublisher',
        'MskEvent',
        'OutboundMessage',
        'PermanentError',
        'PublishInvocation',
        'PublishOptions',
        'PublisherOptions',
        'PublisherSpec',
        'RecordHandler',
        'RecordPart',
        'RecordRoute',
        'RetryPolicy',
        'Route',
        'RouteValue',
        'Router',
        'RouterOptions',
        'SelfManagedKafkaEvent',
        'UnmatchedPolicy',
        'authFromEnv',
        'bytes',
        'createDefaultPublisher',
        'createKafkaHandler',
        'createKafkaPublisher',
        'createRouter',
        'defaultDeadLetterTopic',
        'defineBatchRoute',
        'defineRoute',
        'idempotent',
        'jsonLogger',
        'json',
        'silentLogger',
        'text',
        'to',
      ].sort(),
    );
  });

  it('gives each codec entry the shared schema-codec types, and the registry entry the registry types', () => {
    for (const entry of ['src/runtime/codec/avro.ts', 'src/runtime/codec/protobuf.ts', 'src/runtime/codec/json-schema.ts']) {
      expect(exportedNames(entry), entry).toEqual(
        expect.arrayContaining(['Framing', 'LambdaRecordFormat', 'SchemaCodec', 'SchemaCodecOptions', 'SchemaFormat']),
      );
    }
    expect(exportedNames('src/runtime/registry/index.ts')).toEqual(
      expect.arrayContaining(['RegisteredSchema', 'ResolvedReference', 'SchemaFormat', 'SchemaRegistry', 'SchemaToRegister']),
    );
    expect(main.filter((name) => /Schema(Codec|Registry|Format)|Registered|Framing/.test(name))).toEqual([]);
  });
});
