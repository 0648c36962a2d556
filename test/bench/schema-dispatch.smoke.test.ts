import { describe, expect, it } from 'vitest';
import { benchSchemaDispatch } from '../../bench/schema-dispatch.js';

// A smoke of the benchmark so it keeps working; timings are not asserted (see bench/RESULTS.md).
describe('bench: Avro and Protobuf dispatch (smoke)', () => {
  it('runs the floor, our handler (bare and Confluent-framed) and Powertools on the same events', async () => {
    const { markdown, ratios } = await benchSchemaDispatch({ smoke: true });
    for (const ratio of Object.values(ratios)) expect(ratio).toBeGreaterThan(0);
    expect(markdown).toMatch(/### Avro[\s\S]*### Protobuf/);
    expect(markdown).toMatch(/kafkaConsumer \(avro-js\)/);
  });
});
