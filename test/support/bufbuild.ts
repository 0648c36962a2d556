// Builds @bufbuild/protobuf messages (what Confluent's JS Protobuf serializer takes) from .proto text,
// through protobufjs's descriptor extension: no protoc, no generated code.
import {
  create,
  createFileRegistry,
  createMutableRegistry,
  type DescMessage,
  fromBinary,
  type Message,
  type MutableRegistry,
} from '@bufbuild/protobuf';
import { type DescriptorProto, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import protobufjs from 'protobufjs';
import 'protobufjs/ext/descriptor/index.js';
import { InvariantError } from '../../src/runtime/errors/index.js';

/** A message of `typeName` with `value`, and the registry that knows its file. */
export function bufbuildMessage(
  proto: string,
  fileName: string,
  typeName: string,
  value: Record<string, unknown>,
): { message: Message; registry: MutableRegistry; desc: DescMessage } {
  const root = protobufjs.parse(proto, { keepCase: true }).root;
  root.resolveAll(); // fully qualified type names in the descriptor
  const set = (root as unknown as { toDescriptor(syntax: string): protobufjs.Message }).toDescriptor('proto3');
  const bytes = (set.constructor as unknown as protobufjs.Type).encode(set).finish();
  const decoded = fromBinary(FileDescriptorSetSchema, bytes);
  // protobufjs writes type names as written in the .proto (`Line`); descriptors need them fully qualified.
  const qualify = (messages: DescriptorProto[], scope: string): void => {
    for (const message of messages) {
      const name = `${scope}.${message.name}`;
      const type = root.lookupType(name);
      for (const field of message.field) {
        const resolved = type.fields[field.name]?.resolvedType;
        if (field.typeName && resolved) field.typeName = resolved.fullName;
      }
      qualify(message.nestedType, name);
    }
  };
  for (const file of decoded.file) {
    file.name = fileName;
    qualify(file.messageType, file.package ? `.${file.package}` : '');
  }
  const registry = createFileRegistry(decoded);
  const desc = registry.getMessage(typeName);
  if (!desc) throw new InvariantError(`test helper: no message ${typeName}`);
  return { message: create(desc, value as never), registry: createMutableRegistry(registry), desc };
}
