import { startRedis } from '../../support/redis.js';
import { captureForSecretScan, registerTestSecret } from '../../support/secrets.js';
import { type SuiteEnvironment, startSuiteEnvironment } from './environment.js';
import { type RunSettings, runScenario, type Scenario, type ScenarioResult, secretToken } from './run-scenario.js';
import { LogCapture } from './worker-process.js';

/** Options of {@link runSuite}. */
export interface SuiteOptions {
  readonly n: number;
  readonly scenarios: readonly Scenario[];
  readonly keys?: number;
  readonly partitions?: number;
  /** Scales each scenario's input stream duration (default 1). */
  readonly streamScale?: number;
  readonly log?: (line: string) => void;
  /** A running environment to use (and leave running); by default the suite starts and stops its own. */
  readonly env?: SuiteEnvironment;
}

/** What a suite run returns: a row per scenario, and everything the workers printed (for the secret scan). */
export interface SuiteResult {
  readonly rows: readonly ScenarioResult[];
  readonly workerLogs: string;
  /** The secret-looking token the poison records carried. */
  readonly secret: string;
  readonly durationMs: number;
}

/** Starts the suite's broker and proxy, runs the scenarios one after another, stops everything. */
export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const began = Date.now();
  const env = options.env ?? (await startSuiteEnvironment(log));
  const redis = options.scenarios.some((scenario) => scenario.effects) ? await startRedis() : undefined;
  const logs = new LogCapture();
  const secret = secretToken();
  registerTestSecret('secret-looking token in poison records', secret);
  const settings: RunSettings = {
    n: options.n,
    keys: options.keys ?? 50,
    partitions: options.partitions ?? 3,
    streamScale: options.streamScale ?? 1,
    secret,
    logs,
    log,
    ...(redis ? { redisUrl: redis.url } : {}),
  };
  const rows: ScenarioResult[] = [];
  try {
    for (const scenario of options.scenarios) {
      log(`scenario ${scenario.id}: ${scenario.title} (N=${options.n})`);
      const row = await runScenario(env, scenario, settings);
      await env.toxiproxy.reset();
      if (row.effects) {
        log(
          `  [${scenario.id}] side effects${row.effects.idempotent ? ' (idempotent)' : ''}: ${row.effects.once} once, ${row.effects.repeated} repeated (${row.effects.extraRuns} extra), ${row.effects.missing} missing`,
        );
      }
      log(
        `  [${scenario.id}] lost ${row.lost}, order violations ${row.orderViolations}, outputs ${row.distinctOutputs}, dead letters ${row.deadLettered}, ` +
          `duplicates ${row.duplicates} (mismatched ids ${row.mismatchedIds}), recovery ${row.recoveryMs ?? '—'} ms, ` +
          `${row.invocations} invocations (${row.failedInvocations} failed), ${row.redeliveries} redeliveries, ${Math.round(row.durationMs / 1000)} s`,
      );
      rows.push(row);
    }
  } finally {
    await redis?.stop();
    if (!options.env) await env.stop();
  }
  captureForSecretScan('reliability worker logs', logs.text());
  captureForSecretScan('reliability dead-letter headers', rows.flatMap((row) => row.deadLetterHeaders).join('\n'));
  return { rows, workerLogs: logs.text(), secret, durationMs: Date.now() - began };
}
