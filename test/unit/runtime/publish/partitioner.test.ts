import { describe, expect, it } from 'vitest';
import { javaCompatiblePartitioner } from '../../../../src/runtime/publish/partitioner.js';

// Expected partitions computed with the Java client itself (kafka-clients 4.1.2:
// Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % partitions), the first three
// being the murmur2 vectors of Kafka's own UtilsTest. Literal values: a change of
// partitioner on our side must fail here, whatever our code computes.
const JAVA: ReadonlyArray<readonly [key: string, partitionsOf6: number, partitionsOf12: number]> = [
  ['21', 0, 0],
  ['foobar', 0, 6],
  ['abc', 3, 3],
  ['alice', 3, 9],
  ['bob', 0, 6],
  ['carol', 2, 2],
  ['cus-7', 5, 5],
  ['order-42', 0, 0],
];

const partitionFor = (key: string, count: number) =>
  javaCompatiblePartitioner()({
    topic: 't',
    partitionMetadata: Array.from({ length: count }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    })),
    message: { key: Buffer.from(key, 'utf8'), value: null },
  });

describe('the producer partitioner', () => {
  it.each(JAVA)('puts key %j on the partition the Java client picks (%i of 6, %i of 12)', (key, of6, of12) => {
    expect(partitionFor(key, 6)).toBe(of6);
    expect(partitionFor(key, 12)).toBe(of12);
  });
});
