import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleEventText } from '../../../events/generate.js';
import { SAMPLE_EVENTS } from '../../../functions/samples.js';
import { parseKafkaEvent } from '../../../src/runtime/event/parse.js';

describe('events/ sample files', () => {
  it.each(Object.keys(SAMPLE_EVENTS) as Array<keyof typeof SAMPLE_EVENTS>)('%s is what `npm run events` writes (not stale)', (name) => {
    const committed = readFileSync(new URL(`../../../events/${name}`, import.meta.url), 'utf8');
    expect(committed, `events/${name} is stale: run npm run events`).toBe(sampleEventText(name));
    expect(parseKafkaEvent(JSON.parse(committed)).recordCount).toBe(SAMPLE_EVENTS[name].messages.length);
  });
});
