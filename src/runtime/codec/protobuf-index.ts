// How registry framings name the message type inside a .proto file.
// Confluent: a path of indexes (top-level message, then nested message…), in declaration order.
// Glue: one index into all message types of the file (nested ones and map entries included),
// sorted by full name (MessageIndexFinder in awslabs/aws-glue-schema-registry).
import type * as ProtobufJs from 'protobufjs';
import type { MapField, Namespace, Type } from 'protobufjs';

/** protobufjs's module, passed in by the codec that loaded it. */
export type ProtobufModule = typeof ProtobufJs;

/** The message types of one .proto file, addressable the ways the framings address them. */
export interface ProtoFileIndex {
  /** The file's first top-level message (the default type). */
  readonly first: Type | undefined;
  /** Confluent path → type. */
  byPath(indexes: readonly number[]): Type | undefined;
  /** Glue flat index → type. */
  byGlueIndex(index: number): Type | undefined;
  /** Type → Confluent path. */
  pathOf(type: Type): readonly number[] | undefined;
  /** Type → Glue flat index. */
  glueIndexOf(type: Type): number | undefined;
}

/** One .proto file compiled on its own: exactly its declarations, in order. */
export interface OwnFile {
  readonly root: Namespace;
  readonly package: string | undefined;
}

/**
 * Indexes the messages `own` declares (not those it imports), resolved in
 * `combined`, the root that holds the file and its imports.
 */
export function indexProtoFile(lib: ProtobufModule, own: OwnFile, combined: Namespace): ProtoFileIndex {
  const ownNamespace = own.package ? own.root.lookup(own.package) : own.root;
  const topLevel = messagesOf(lib, ownNamespace as Namespace | null).map((t) => resolveIn(combined, t));

  const glueNames: string[] = [];
  const queue: Type[] = messagesOf(lib, ownNamespace as Namespace | null);
  while (queue.length > 0) {
    const type = queue.shift() as Type;
    glueNames.push(fullName(type));
    // Java descriptors have a nested <Field>Entry type per map field; protobufjs does not.
    for (const field of type.fieldsArray) if (field instanceof lib.MapField) glueNames.push(`${fullName(type)}.${mapEntryName(field)}`);
    queue.push(...messagesOf(lib, type));
  }
  glueNames.sort();

  const paths = new Map<Type, number[]>();
  // Each type's nested messages, listed once: byPath runs for every Confluent-framed record.
  const nestedOf = new Map<Type, readonly Type[]>();
  const walk = (types: readonly Type[], prefix: number[]): void => {
    types.forEach((type, i) => {
      const path = [...prefix, i];
      const nested = messagesOf(lib, type);
      paths.set(type, path);
      nestedOf.set(type, nested);
      walk(nested, path);
    });
  };
  walk(topLevel, []);

  return {
    first: topLevel[0],
    byPath(indexes) {
      let level: readonly Type[] | undefined = topLevel;
      let found: Type | undefined;
      for (const index of indexes) {
        found = level?.[index];
        if (!found) return undefined;
        level = nestedOf.get(found);
      }
      return found;
    },
    byGlueIndex(index) {
      const name = glueNames[index];
      if (name === undefined) return undefined;
      const found = combined.lookup(name);
      return found instanceof lib.Type ? found : undefined;
    },
    pathOf: (type) => paths.get(type),
    glueIndexOf(type) {
      const at = glueNames.indexOf(fullName(type));
      return at < 0 ? undefined : at;
    },
  };
}

function messagesOf(lib: ProtobufModule, namespace: Namespace | null): Type[] {
  if (!namespace) return [];
  return namespace.nestedArray.filter((nested): nested is Type => nested instanceof lib.Type);
}

function resolveIn(combined: Namespace, type: Type): Type {
  return combined.lookupType(type.fullName);
}

function fullName(type: Type): string {
  return type.fullName.replace(/^\./, '');
}

/** protoc's name for a map field's entry type: the field name in UpperCamelCase + `Entry`. */
function mapEntryName(field: MapField): string {
  const camel = field.name.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_/g, '');
  return `${camel.charAt(0).toUpperCase()}${camel.slice(1)}Entry`;
}
