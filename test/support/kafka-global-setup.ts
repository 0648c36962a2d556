import type { TestProject } from 'vitest/node';
import { randomScramUser } from '../../src/harness/local/broker/broker.js';
import { useKafkaCluster } from '../../src/harness/local/broker/cluster.js';
import { registerTestSecret } from './secrets.js';

/** What integration tests receive through `inject('kafka')`. */
export interface ProvidedKafka {
  brokers: string[];
  owned: boolean;
  saslSsl?: { brokers: string[]; caPem: string; user: { name: string; password: string } };
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: ProvidedKafka;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const began = performance.now();
  const scramUser = randomScramUser('router-test');
  registerTestSecret('SCRAM password of the test broker', scramUser.password);
  const cluster = await useKafkaCluster({ scramUsers: [scramUser] });
  if (!cluster.owned) process.stderr.write(`[kafka] using KAFKA_BROKERS=${cluster.brokers.join(',')}\n`);
  project.provide('kafka', {
    brokers: [...cluster.brokers],
    owned: cluster.owned,
    ...(cluster.saslSsl ? { saslSsl: { brokers: [...cluster.saslSsl.brokers], caPem: cluster.saslSsl.caPem, user: scramUser } } : {}),
  });
  return async () => {
    await cluster.stop();
    process.stderr.write(
      `[kafka] integration run wall time ${((performance.now() - began) / 1000).toFixed(1)} s (broker start included)\n`,
    );
  };
}
