import { randomBytes, randomUUID } from 'node:crypto';
import { countEffects, type EffectCounts } from './effects.js';
import type { SuiteEnvironment } from './environment.js';
import { ReliabilitySuiteError } from './errors.js';
import { type InputPlan, type InputReport, produceInputs } from './inputs.js';
import { type RegistryUnderFault, startRegistryUnderFault } from './registry-faults.js';
import { firstAccountedTimes, type Tally, tally } from './tally.js';
import { DeliveryTracker } from './tracker.js';
import type { WorkerConfig } from './worker-config.js';
import { type LogCapture, startWorker, type WorkerHandle } from './worker-process.js';

/** The topics of one scenario run. */
export interface ScenarioTopics {
  readonly input: string;
  readonly output: string;
  readonly deadLetter: string;
}

/** What a scenario's fault script can do while the stream runs. */
export interface ScenarioRun {
  readonly env: SuiteEnvironment;
  readonly n: number;
  readonly topics: ScenarioTopics;
  readonly tracker: DeliveryTracker;
  /** The current worker process. */
  worker(): WorkerHandle;
  /** Starts a new worker on the same consumer group (after a kill). */
  startNewWorker(): Promise<void>;
  /** Share of inputs accounted for downstream so far (0…1). */
  progress(): number;
  /** Waits until `fraction` of the inputs are accounted for. */
  untilProgress(fraction: number): Promise<void>;
  /** Marks the end of a fault: recovery is measured from here to the next input newly accounted for. */
  healed(): void;
  /** A line in the suite's log. */
  note(line: string): void;
  /** The registry under fault (scenarios with `registry`). */
  readonly registry: RegistryUnderFault | undefined;
}

/** One fault scenario of the suite. */
export interface Scenario {
  /** Short id: `1`, `3a`… (what `--only` takes). */
  readonly id: string;
  readonly title: string;
  /** Changes to the default input plan (poison, slow records). */
  readonly plan?: Partial<Omit<InputPlan, 'count' | 'secret'>>;
  /** Changes to the default worker config (fault rates, timeouts). */
  readonly worker?: Partial<WorkerConfig>;
  /** How long producing the inputs should take, so faults land mid-stream (default 15 s). */
  readonly streamSeconds?: number;
  /** How long to wait for the drain after the last input (default: the suite's). */
  readonly drainTimeoutMs?: number;
  /** Inputs are Avro through a schema registry behind the fault proxy (scenario 8). */
  readonly registry?: boolean;
  /** Side effects in Redis: counted per input, and with `idempotent` behind the idempotency layer. */
  readonly effects?: 'counted' | 'idempotent';
  /** False when the scenario creates the dead-letter topic itself (later). */
  readonly deadLetterTopicAtStart?: boolean;
  /** The fault script; runs while inputs are produced. */
  inject(run: ScenarioRun): Promise<void>;
}

/** One row of the reliability table. */
export interface ScenarioResult extends Tally {
  readonly id: string;
  readonly title: string;
  /** Inputs that were poison pills (the dead letters expected). */
  readonly poison: number;
  /** Longest time from the end of a fault to the next input newly accounted for (undefined: no fault with an end). */
  readonly recoveryMs: number | undefined;
  /** From the last input produced to every input accounted for. */
  readonly drainMs: number;
  readonly durationMs: number;
  /** Worker invocations, those that failed, and records delivered again (summed over worker restarts). */
  readonly invocations: number;
  readonly failedInvocations: number;
  readonly redeliveries: number;
  readonly inputResends: number;
  /** Pipeline worker processes SIGKILLed and replaced. */
  readonly workerRestarts: number;
  /** False when the pipeline did not drain before the deadline (lost inputs then stay lost). */
  readonly drained: boolean;
  /** Every dead letter's headers as text (the secret scan reads them). */
  readonly deadLetterHeaders: readonly string[];
  /** How often each handled input's side effect ran (scenarios with effects). */
  readonly effects?: EffectCounts;
  readonly notes: readonly string[];
}

/** Settings every scenario shares. */
export interface RunSettings {
  readonly n: number;
  readonly keys: number;
  readonly partitions: number;
  /** Scales every scenario's stream duration (the short suite in `npm test` uses less than 1). */
  readonly streamScale: number;
  /** The secret-looking token poison values carry. */
  readonly secret: string;
  readonly logs: LogCapture;
  readonly log: (line: string) => void;
  /** The suite's Redis, for scenarios with side effects. */
  readonly redisUrl?: string;
  /** Waiting for the drain gives up after this long past the last input (default 180 s). */
  readonly drainTimeoutMs?: number;
}

/** A random secret-looking token (hex, 32 characters). */
export function secretToken(): string {
  return randomBytes(16).toString('hex');
}

const QUIET_MS = 2_000;

/**
 * Runs one scenario on fresh topics: starts a tracker and a worker, produces
 * the inputs while the fault script runs, waits until every input is accounted
 * for (or the deadline passes), then counts.
 */
export async function runScenario(env: SuiteEnvironment, scenario: Scenario, settings: RunSettings): Promise<ScenarioResult> {
  const began = Date.now();
  const runId = `${scenario.id}-${randomUUID().slice(0, 8)}`;
  const topics: ScenarioTopics = { input: `chaos-${runId}.in`, output: `chaos-${runId}.out`, deadLetter: `chaos-${runId}.in.DLT` };
  const notes: string[] = [];
  const note = (line: string) => {
    notes.push(line);
    settings.log(`  [${scenario.id}] ${line}`);
  };
  await env.admin.createTopics({
    topics: [
      { topic: topics.input, numPartitions: settings.partitions },
      { topic: topics.output, numPartitions: settings.partitions },
      ...(scenario.deadLetterTopicAtStart === false ? [] : [{ topic: topics.deadLetter, numPartitions: 1 }]),
    ],
    waitForLeaders: true,
  });
  const registry = scenario.registry ? await startRegistryUnderFault(env.toxiproxy, `${topics.input}-value`) : undefined;
  const tracker = new DeliveryTracker(env.kafka);
  await tracker.watch(topics.output, 'output');
  if (scenario.deadLetterTopicAtStart !== false) await tracker.watch(topics.deadLetter, 'dead-letter');

  const workerConfig: WorkerConfig = {
    brokers: env.brokers,
    publishBrokers: env.publishBrokers,
    topics,
    groupId: `chaos-${runId}`,
    batchSize: 100,
    batchingWindowS: 0.2,
    timeoutS: 30,
    reserveMs: 2_000,
    sessionTimeoutMs: 6_000,
    requestTimeoutMs: 5_000,
    invocationThrowRate: 0,
    seed: 1,
    ...(registry ? { registryUrl: registry.proxyUrl } : {}),
    ...(scenario.effects
      ? { effects: { redisUrl: requireRedis(settings, scenario), prefix: `chaos-${runId}`, idempotent: scenario.effects === 'idempotent' } }
      : {}),
    ...scenario.worker,
  };
  let restarts = 0;
  let worker = startWorker(workerConfig, settings.logs);
  const totals = { invocations: 0, failedInvocations: 0, redeliveries: 0 };
  const retire = (handle: WorkerHandle) => {
    const status = handle.status();
    totals.invocations += status?.invocations ?? 0;
    totals.failedInvocations += status?.failedInvocations ?? 0;
    totals.redeliveries += status?.redeliveries ?? 0;
  };
  await worker.ready;

  const heals: number[] = [];
  const plan: InputPlan = {
    count: settings.n,
    keys: settings.keys,
    poisonEvery: 0,
    slowEvery: 0,
    slowMs: 0,
    ratePerSecond: settings.n / Math.max(1, (scenario.streamSeconds ?? 15) * settings.streamScale),
    secret: settings.secret,
    ...scenario.plan,
    ...(registry ? { encode: (value: { id: string; key: string; seq: number }) => registry.encode(value) } : {}),
  };
  const run: ScenarioRun = {
    env,
    n: settings.n,
    topics,
    tracker,
    worker: () => worker,
    async startNewWorker() {
      retire(worker);
      await worker.kill();
      restarts++;
      worker = startWorker({ ...workerConfig, seed: workerConfig.seed + restarts }, settings.logs);
      await worker.ready;
    },
    progress: () => tracker.accountedInputs / settings.n,
    async untilProgress(fraction) {
      const deadline = Date.now() + 300_000;
      while (tracker.accountedInputs < fraction * settings.n) {
        if (Date.now() > deadline) throw new ReliabilitySuiteError(`Scenario ${scenario.id}: progress stuck at ${run.progress()}`);
        await sleep(50);
      }
    },
    healed: () => heals.push(Date.now()),
    note,
    registry,
  };

  const deadline = Date.now() + 600_000;
  const [inputs] = await Promise.all([produceInputs(env.kafka, topics.input, runId, plan, deadline), scenario.inject(run)]);
  const inputsPerPartition = await inputCounts(env, topics.input, settings.partitions);
  const expected = inputsPerPartition.reduce((sum, n) => sum + n, 0);
  const drained = await waitForDrain(
    tracker,
    () => worker,
    expected,
    inputs,
    scenario.drainTimeoutMs ?? settings.drainTimeoutMs ?? 180_000,
  );
  settings.log(
    `  [${scenario.id}] inputs produced by +${((inputs.finishedAt - began) / 1000).toFixed(1)} s, drained by +${((Date.now() - began) / 1000).toFixed(1)} s`,
  );
  if (!drained) note(`not drained: ${expected - tracker.accountedInputs} input(s) unaccounted for at the deadline`);
  retire(worker);
  await worker.stop();
  await tracker.stop();
  await registry?.stop();

  const outputs = tracker.read('output');
  const deadLetters = tracker.read('dead-letter');
  const counts = tally(inputsPerPartition, outputs, deadLetters);
  const accountedAt = firstAccountedTimes([...outputs, ...deadLetters]);
  const recoveries = heals.map((at) => {
    const next = accountedAt.find((time) => time >= at);
    return next === undefined ? undefined : next - at;
  });
  const measured = recoveries.filter((ms): ms is number => ms !== undefined);
  if (inputs.resends > 0) note(`${inputs.resends} input chunk(s) sent again after a failed send`);
  const effects = workerConfig.effects
    ? await countEffects(
        workerConfig.effects.redisUrl,
        workerConfig.effects.prefix,
        handledIds(runId, plan),
        workerConfig.effects.idempotent,
      )
    : undefined;
  return {
    id: scenario.id,
    title: scenario.title,
    ...counts,
    poison: inputs.poison,
    recoveryMs: measured.length > 0 ? Math.max(...measured) : undefined,
    drainMs: Math.max(0, (accountedAt.at(-1) ?? inputs.finishedAt) - inputs.finishedAt),
    durationMs: Date.now() - began,
    ...totals,
    inputResends: inputs.resends,
    workerRestarts: restarts,
    drained,
    deadLetterHeaders: tracker.deadLetterHeaders,
    ...(effects ? { effects } : {}),
    notes,
  };
}

function requireRedis(settings: RunSettings, scenario: Scenario): string {
  if (!settings.redisUrl) throw new ReliabilitySuiteError(`Scenario ${scenario.id} counts side effects, but the suite started no Redis`);
  return settings.redisUrl;
}

/** The ids of the inputs the handler sees (every input but the poison pills). */
function handledIds(runId: string, plan: InputPlan): string[] {
  const ids: string[] = [];
  for (let n = 0; n < plan.count; n++)
    if (!(plan.poisonEvery > 0 && n % plan.poisonEvery === plan.poisonEvery - 1)) ids.push(`${runId}-${n}`);
  return ids;
}

async function inputCounts(env: SuiteEnvironment, topic: string, partitions: number): Promise<number[]> {
  const offsets = await env.admin.fetchTopicOffsets(topic);
  const counts = Array.from({ length: partitions }, () => 0);
  for (const partition of offsets) counts[partition.partition] = Number(partition.high);
  return counts;
}

/** Every input accounted for, the worker idle, and no message for a quiet moment (late duplicates land too). */
async function waitForDrain(
  tracker: DeliveryTracker,
  worker: () => WorkerHandle,
  expected: number,
  inputs: InputReport,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = inputs.finishedAt + timeoutMs;
  while (Date.now() < deadline) {
    const quiet = Date.now() - tracker.lastMessageAt > QUIET_MS;
    if (tracker.accountedInputs >= expected && worker().status()?.idle && quiet) return true;
    await sleep(100);
  }
  return false;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
