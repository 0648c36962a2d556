import type { SchemaRegistry } from '../../../runtime/codec/registry.js';
import { describeError } from '../../../runtime/errors/format.js';
import type { Codec } from '../../../runtime/event/codec.js';
import { parseKafkaEvent } from '../../../runtime/event/parse.js';
import type { InboundRecord } from '../../../runtime/event/record.js';
import { buildKafkaEvent } from '../../testing/build-event.js';
import { codecFor, isSchemaCodec } from '../../testing/route-codec.js';
import type { TopicRoles } from '../codecs/service-routes.js';
import { headerView, textOrHex } from './header-view.js';
import type { ReadRecord } from './topic-reader.js';

/** A record as the tools print it: coordinates, decoded key and value, headers by meaning. */
export interface RecordView {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** ISO time. */
  readonly timestamp: string;
  readonly key: unknown;
  /** The decoded value; null for a tombstone; `{ binary: { bytes, hex } }` for bytes no codec could read. */
  readonly value: unknown;
  readonly headers: Record<string, unknown>;
  /** Why the value could not be decoded (never its bytes). */
  readonly error?: string;
}

/** How a topic's records are decoded. */
export interface TopicDecoder {
  /** What decodes the values: a codec name and where it came from (`record-payment's codec`). */
  readonly description: string;
  view(record: ReadRecord): Promise<RecordView>;
}

/** Bytes shown this far at most; beyond it, only the length. */
const HEX_PREVIEW_BYTES = 64;

/**
 * The decoder for a topic's records: `explicit` (`--codec`) when given, else the codec of the route that publishes
 * to the topic, else (a dead-letter topic) the codec of the route whose input it keeps, else the consuming route's,
 * else JSON when the bytes are JSON, text when UTF-8, and a hex preview otherwise. A schema codec reads both bare
 * and Confluent-framed payloads, through `registry` when one is given.
 */
export async function topicDecoder(
  roles: TopicRoles | undefined,
  options: { explicit?: Codec<unknown>; registry?: SchemaRegistry } = {},
): Promise<TopicDecoder> {
  const chosen = chooseCodec(roles, options.explicit);
  const value = chosen.codec ? await readable(chosen.codec, options.registry) : undefined;
  const key = chosen.keyCodec ? await readable(chosen.keyCodec, options.registry) : undefined;
  return {
    description: chosen.description,
    async view(read) {
      const record = inbound(read);
      const base = {
        topic: read.topic,
        partition: read.partition,
        offset: read.offset,
        timestamp: new Date(record.timestamp).toISOString(),
        headers: headerView(record.headers.list.map((h) => [h.name, h.value] as const)),
      };
      const keyView = await decodePart(record, 'key', key);
      const valueView = await decodePart(record, 'value', value);
      return {
        ...base,
        key: keyView.decoded,
        value: valueView.decoded,
        ...(valueView.error ? { error: valueView.error } : keyView.error ? { error: `key: ${keyView.error}` } : {}),
      };
    },
  };
}

function chooseCodec(
  roles: TopicRoles | undefined,
  explicit: Codec<unknown> | undefined,
): { codec: Codec<unknown> | undefined; keyCodec: Codec<unknown> | undefined; description: string } {
  if (explicit) return { codec: explicit, keyCodec: undefined, description: `${explicit.name} (--codec)` };
  const publisher = roles?.publishers[0];
  if (publisher) {
    const codec = publisher.spec.codec as Codec<unknown> | undefined;
    return { codec, keyCodec: undefined, description: `${codec?.name ?? 'json'}, as ${publisher.compiled.name} publishes it` };
  }
  const owner = roles?.deadLettersOf ?? roles?.consumer;
  if (owner) {
    const { compiled } = owner;
    return { codec: compiled.codec, keyCodec: compiled.keyCodec, description: `${compiled.codec.name}, as ${compiled.name} reads it` };
  }
  return { codec: undefined, keyCodec: undefined, description: 'JSON, text or bytes (no route publishes or reads this topic)' };
}

/** A schema codec that also reads Confluent-framed payloads (and bare ones), through the registry when given. */
async function readable(codec: Codec<unknown>, registry: SchemaRegistry | undefined): Promise<Codec<unknown>> {
  if (!isSchemaCodec(codec) || codec.declaration.registry) return codec;
  if (codec.declaration.schema === undefined && codec.declaration.typeObject === undefined) return codec;
  return codecFor(codec.declaration, { framing: 'auto', lambdaRecordFormat: 'SOURCE', ...(registry ? { registry } : {}) });
}

/** The record as Lambda would hand it over, parsed by the runtime's own parser. */
function inbound(read: ReadRecord): InboundRecord {
  const lane = parseKafkaEvent(buildKafkaEvent([read], { source: 'self-managed' })).lanes[0];
  return lane?.records[0] as InboundRecord;
}

async function decodePart(
  record: InboundRecord,
  part: 'key' | 'value',
  codec: Codec<unknown> | undefined,
): Promise<{ decoded: unknown; error?: string }> {
  const bytes = part === 'key' ? record.keyBytes : record.valueBytes;
  if (bytes === null) return { decoded: null };
  if (!codec) return { decoded: part === 'key' ? keyText(bytes) : generic(bytes) };
  try {
    return { decoded: printable(await codec.decode(bytes, record, part)) };
  } catch (error) {
    return { decoded: binary(bytes), error: describeError(error) };
  }
}

function keyText(bytes: Buffer): unknown {
  const text = textOrHex(bytes);
  return text.startsWith('hex:') ? binary(bytes) : text;
}

function generic(bytes: Buffer): unknown {
  const text = textOrHex(bytes);
  if (text.startsWith('hex:')) return binary(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Bytes shown as a bounded hex preview with their length: never raw bytes on a terminal. */
export function binary(bytes: Buffer): { binary: { bytes: number; hex: string } } {
  const shown = bytes.subarray(0, HEX_PREVIEW_BYTES).toString('hex');
  return { binary: { bytes: bytes.length, hex: bytes.length > HEX_PREVIEW_BYTES ? `${shown}…` : shown } };
}

/** Decoded values made JSON-safe: Buffers (Avro bytes, the bytes codec) as binary previews, bigints as text. */
function printable(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return binary(Buffer.from(value));
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(printable);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)]));
  return value;
}
