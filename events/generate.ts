import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildKafkaEvent } from 'kafka-lambda-router/testing';
import { SAMPLE_EVENTS } from '../functions/samples.js';
import { eventFileText } from '../src/harness/local/samples/event-file.js';

// `npm run events`: rewrites events/*.json from functions/samples.ts (curated: poison pills, tombstones) with the
// product's own event builder; `kafka-lambda-router events` is the generic command for users' services.
// A test fails when a committed file differs from what this would write.

/** The JSON text of a sample event file. */
export function sampleEventText(name: keyof typeof SAMPLE_EVENTS): string {
  const { messages, source } = SAMPLE_EVENTS[name];
  const event = buildKafkaEvent(messages, {
    source,
    timestamp: 1_795_510_800_000,
    firstOffset: 100,
    ...(source === 'self-managed' ? { bootstrapServers: 'kafka-1.example.internal:9096,kafka-2.example.internal:9096' } : {}),
  });
  return eventFileText(event);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of Object.keys(SAMPLE_EVENTS) as Array<keyof typeof SAMPLE_EVENTS>) {
    writeFileSync(new URL(`./${name}`, import.meta.url), sampleEventText(name));
    process.stdout.write(`wrote events/${name}\n`);
  }
}
