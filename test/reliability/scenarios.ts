import { PROXY } from './support/environment.js';
import type { RegistryUnderFault } from './support/registry-faults.js';
import { type Scenario, type ScenarioRun, sleep } from './support/run-scenario.js';
import type { Toxic } from './support/toxiproxy.js';

/** Adds toxics, waits `ms`, removes them. */
async function withToxics(run: ScenarioRun, toxics: readonly Toxic[], ms: number): Promise<void> {
  for (const toxic of toxics) await run.env.toxiproxy.addToxic(PROXY, toxic);
  await sleep(ms);
  for (const toxic of toxics) await run.env.toxiproxy.removeToxic(PROXY, toxic.name);
}

/** Scenario 1: the broker is SIGKILLed mid-stream and restarted on the same data directory. */
export const brokerCrash: Scenario = {
  id: '1',
  title: 'broker SIGKILL mid-stream, restart on the same data dir',
  streamSeconds: 20,
  async inject(run) {
    await run.untilProgress(0.3);
    run.note(`SIGKILL the broker at ${Math.round(run.progress() * 100)}% accounted`);
    await run.env.killBroker();
    run.healed(); // a crash has no duration: recovery counts from the kill, restart included
    const began = Date.now();
    await run.env.restartBroker();
    run.note(`broker back after ${Date.now() - began} ms`);
  },
};

/** Scenario 2: the emulator (Lambda's poller, and the function with it) SIGKILLed mid-batch, three times. */
export const pollerCrash: Scenario = {
  id: '2',
  title: 'poller + function SIGKILL mid-batch (×3), restart: redelivery from the last commit',
  async inject(run) {
    for (const at of [0.25, 0.5, 0.75]) {
      await run.untilProgress(at);
      await run.worker().nextInvocation();
      await sleep(Math.floor(Math.random() * 40));
      run.healed();
      await run.startNewWorker();
      run.note(`worker SIGKILLed mid-invocation at ${Math.round(at * 100)}%; new worker ready`);
    }
  },
  effects: 'counted',
};

/** A scenario run again with the handler's side effect behind the idempotency layer (id suffixed `i`). */
function withIdempotency(base: Scenario): Scenario {
  return { ...base, id: `${base.id}i`, title: `as ${base.id}, side effect behind idempotent() (Powertools, Redis)`, effects: 'idempotent' };
}

/** Scenario 2 again, the handler's side effect behind the idempotency layer. */
export const pollerCrashIdempotent = withIdempotency(pollerCrash);

/** Scenario 3a: 5% of invocations throw (half before dispatching, half after their outputs were flushed). */
export const throwingFunction: Scenario = {
  id: '3a',
  title: 'function throws on 5% of invocations (half after flushing)',
  worker: { invocationThrowRate: 0.05 },
  effects: 'counted',
  inject: async () => undefined,
};

/** Scenario 3a again, the handler's side effect behind the idempotency layer: each effect must run once. */
export const throwingFunctionIdempotent = withIdempotency(throwingFunction);

/** Scenario 3b: 1% poison records (undecodable values carrying a secret-looking token). */
export const poisonRecords: Scenario = {
  id: '3b',
  title: '1% poison records',
  plan: { poisonEvery: 100 },
  inject: async () => undefined,
};

/** Scenario 4: invocations run short of time: slow records push the remaining time below the reserve. */
export const timeBudget: Scenario = {
  id: '4',
  title: 'remaining time below the reserve (2.5 s timeout, 2 s reserve, 2.5% of records take 400 ms)',
  worker: { timeoutS: 2.5, reserveMs: 2_000 },
  plan: { slowEvery: 40, slowMs: 400 },
  // Every budget stop costs a redelivery: this one drains slowly by design.
  drainTimeoutMs: 300_000,
  inject: async () => undefined,
};

/** Scenario 5: the dead-letter topic does not exist (auto-creation off) while poison records arrive; created later. */
export const deadLetterTopicMissing: Scenario = {
  id: '5',
  title: 'dead-letter topic missing (auto-create off) for 10 s while poison arrives, then created; flushes give up after 3 s',
  plan: { poisonEvery: 100 },
  // With the publisher's default (30 s) a flush would simply wait the outage out; 3 s makes invocations fail and retry.
  worker: { deliveryTimeoutMs: 3_000 },
  deadLetterTopicAtStart: false,
  async inject(run) {
    await sleep(10_000);
    const failed = run.worker().status()?.failedInvocations ?? 0;
    await run.env.admin.createTopics({ topics: [{ topic: run.topics.deadLetter, numPartitions: 1 }], waitForLeaders: true });
    run.healed();
    await run.tracker.watch(run.topics.deadLetter, 'dead-letter');
    run.note(`dead-letter topic created after 10 s; ${failed} invocation(s) had failed meanwhile`);
  },
};

/** Scenario 6: network faults between the function's producer and the broker (toxiproxy). */
export const networkFaults: Scenario = {
  id: '6',
  title: 'producer↔broker: 300 ms latency 8 s, connection resets 2 s, blackhole 8 s',
  streamSeconds: 30,
  async inject(run) {
    await run.untilProgress(0.15);
    await withToxics(
      run,
      [
        { name: 'latency-up', type: 'latency', stream: 'upstream', attributes: { latency: 300, jitter: 100 } },
        { name: 'latency-down', type: 'latency', stream: 'downstream', attributes: { latency: 300, jitter: 100 } },
      ],
      8_000,
    );
    run.note('latency removed');
    await withToxics(run, [{ name: 'reset', type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }], 2_000);
    run.healed();
    run.note('connection resets removed');
    await sleep(3_000);
    await withToxics(
      run,
      [
        { name: 'blackhole-up', type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } },
        { name: 'blackhole-down', type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } },
      ],
      8_000,
    );
    run.healed();
    run.note('blackhole removed');
  },
};

/** Scenario 7, with `rounds` rounds: the flush fails after the broker accepted it (responses dropped), or mid-request (connection cut). */
export function flushCutScenario(rounds: number, streamSeconds = 25): Scenario {
  return {
    id: '7',
    title: `flush fails after the broker accepted it (response lost) or mid-request (connection cut), ×${rounds} each`,
    streamSeconds,
    async inject(run) {
      await run.untilProgress(0.1);
      for (let round = 0; round < rounds; round++) {
        await withToxics(run, [{ name: 'drop-responses', type: 'timeout', stream: 'downstream', attributes: { timeout: 200 } }], 1_500);
        run.healed();
        await sleep(1_500);
        await withToxics(run, [{ name: 'cut-request', type: 'limit_data', stream: 'upstream', attributes: { bytes: 1_000 } }], 1_500);
        run.healed();
        await sleep(1_500);
      }
      run.note(`${rounds} round(s) of dropped responses and cut requests`);
    },
  };
}

/** Scenario 7 as the full suite runs it. */
export const flushCut: Scenario = flushCutScenario(3);

/** The suite's control: a function that silently drops every 50th record. The suite must count those as lost. */
export const silentLossControl: Scenario = {
  id: 'control',
  title: 'control: the function acknowledges every 50th record without an output',
  worker: { dropEvery: 50 },
  drainTimeoutMs: 8_000,
  inject: async () => undefined,
};

/**
 * Scenario 8: the schema registry down, slow, then answering 500, with a new schema version arriving at
 * each fault, so the function must fetch a schema it has not cached while the registry fails. Registry
 * failures are never the record's fault: lanes fail and Lambda redelivers, nothing is dead-lettered.
 */
export const schemaRegistryFaults: Scenario = {
  id: '8',
  title:
    'schema registry (Avro, Confluent framing) down 6 s, slow 6 s (2.5 s answers, 1 s client timeout), 500s 6 s; a new schema version at each',
  registry: true,
  streamSeconds: 35,
  async inject(run) {
    const registry = run.registry as RegistryUnderFault;
    await run.untilProgress(0.1);
    const faults: Array<readonly [string, (on: boolean) => Promise<void>]> = [
      ['down', (on) => registry.down(on)],
      ['slow', (on) => registry.slow(on ? 2_500 : 0)],
      ['answering 500', (on) => registry.serverErrors(on)],
    ];
    for (const [name, fault] of faults) {
      await fault(true);
      const id = registry.nextVersion();
      await sleep(6_000);
      await fault(false);
      run.healed();
      run.note(`registry ${name} for 6 s while inputs switched to schema id ${id}`);
      await sleep(3_000);
    }
    run.note(`${registry.requests()} schema fetches reached the registry`);
  },
};

/** Every runnable scenario, in table order. */
export const SCENARIOS: readonly Scenario[] = [
  brokerCrash,
  pollerCrash,
  pollerCrashIdempotent,
  throwingFunction,
  throwingFunctionIdempotent,
  poisonRecords,
  timeBudget,
  deadLetterTopicMissing,
  networkFaults,
  flushCut,
  schemaRegistryFaults,
];
