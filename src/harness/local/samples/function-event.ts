import type { KafkaEvent } from '../../../runtime/event/types.js';
import { buildKafkaEvent, type EventMessage } from '../../testing/build-event.js';
import type { LocalFunction } from '../emulator/functions.js';
import { type SamplesFile, samplesForTopic, type TopicSamples } from './route-samples.js';

/** Sample events use this instant, so regenerating them gives the same files. */
export const SAMPLE_TIMESTAMP = Date.UTC(2026, 0, 1, 9, 0, 0);

/** A function's sample event and how each topic's records were made. */
export interface FunctionSampleEvent {
  readonly event: KafkaEvent;
  readonly topics: readonly TopicSamples[];
}

/**
 * The event Lambda would hand `fn` for `count` records on each topic it consumes (by its serverless.yml
 * event sources), shaped by the first source's kind: `msk` with its cluster ARN, `kafka` (self-managed)
 * with its bootstrap servers. Records are keyed `key-<n>` and spread over partitions 0 and 1.
 */
export async function sampleEventFor(
  fn: LocalFunction,
  options: { count: number; samples?: SamplesFile },
): Promise<FunctionSampleEvent | undefined> {
  const sources = fn.eventSources.filter((source) => source.enabled !== false);
  const first = sources[0];
  if (!first) return undefined;
  const topics: TopicSamples[] = [];
  const messages: EventMessage[] = [];
  for (const topic of new Set(sources.map((source) => source.topic))) {
    // Bare payloads: what Lambda hands over in SOURCE mode, and what a codec with its own schema reads
    // whether or not it has a registry (no registry is contacted to write a sample file).
    const samples = await samplesForTopic(fn.router(), topic, { ...options, framing: 'bare' });
    topics.push(samples);
    const registry = sources.find((source) => source.topic === topic)?.schemaRegistry;
    // A mapping with a registry in JSON mode hands over JSON text and names the format, as Lambda does.
    const jsonMode = registry?.eventRecordFormat === 'JSON' && samples.format !== undefined;
    samples.values.forEach((value, n) => {
      messages.push({
        topic,
        partition: n % 2,
        key: `key-${n + 1}`,
        value: jsonMode ? Buffer.from(JSON.stringify(samples.plain[n])) : Buffer.from(value),
        ...(jsonMode && samples.format ? { valueSchemaMetadata: { dataFormat: samples.format } } : {}),
      });
    });
  }
  const event =
    first.kind === 'kafka'
      ? buildKafkaEvent(messages, {
          source: 'self-managed',
          timestamp: SAMPLE_TIMESTAMP,
          ...(first.bootstrapServers ? { bootstrapServers: first.bootstrapServers } : {}),
        })
      : buildKafkaEvent(messages, {
          source: 'msk',
          timestamp: SAMPLE_TIMESTAMP,
          ...(first.clusterArn ? { clusterArn: first.clusterArn } : {}),
        });
  return { event, topics };
}
