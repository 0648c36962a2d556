import { type ICustomPartitioner, Partitioners } from 'kafkajs';

/**
 * The partitioner every producer of ours uses: murmur2 over the key bytes, as
 * the Java client's default partitioner, so a keyed output lands on the
 * partition a Java producer would pick and per-key order holds across clients.
 */
export const javaCompatiblePartitioner: ICustomPartitioner = Partitioners.DefaultPartitioner;
