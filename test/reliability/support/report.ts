import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { KAFKA_VERSION } from '../../../src/harness/local/broker/jars.js';
import type { ScenarioResult } from './run-scenario.js';
import { TOXIPROXY_VERSION } from './toxiproxy.js';

/** True when a row keeps every promise: nothing lost, order kept, every duplicate recognisable, drained. */
export function rowPasses(row: ScenarioResult): boolean {
  return row.drained && row.lost === 0 && row.orderViolations === 0 && row.mismatchedIds === 0 && row.unknownSources === 0;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** The table, one row per scenario (Markdown). */
export function reliabilityTable(rows: readonly ScenarioResult[]): string {
  const lines = [
    "| # | fault | inputs N | distinct outputs | dead-lettered | duplicates delivered (with their first copy's id) | lost | order violations | time to recover | failed invocations / redelivered records / workers killed | wall time |",
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const row of rows) {
    const identified = row.duplicates - row.mismatchedIds;
    lines.push(
      `| ${row.id} | ${row.title} | ${row.inputs} | ${row.distinctOutputs} | ${row.deadLettered} | ${row.duplicates} (${identified}) | ` +
        `**${row.lost}**${row.drained ? '' : ' (not drained)'} | ${row.orderViolations} | ${seconds(row.recoveryMs)} | ` +
        `${row.failedInvocations} / ${row.redeliveries} / ${row.workerRestarts} | ${seconds(row.durationMs)} |`,
    );
  }
  return lines.join('\n');
}

/** The side-effect table: how often each handled input's effect ran, with and without idempotent(). */
export function effectsTable(rows: readonly ScenarioResult[]): string {
  const lines = [
    '| # | side effect | handled inputs | effect ran once | ran more than once (extra runs) | never ran |',
    '|---|---|--:|--:|--:|--:|',
  ];
  for (const row of rows) {
    if (!row.effects) continue;
    const { effects } = row;
    lines.push(
      `| ${row.id} | ${effects.idempotent ? 'behind `idempotent()`' : 'plain handler'} | ${effects.once + effects.repeated + effects.missing} | ${effects.once} | ${effects.repeated} (${effects.extraRuns}) | ${effects.missing} |`,
    );
  }
  return lines.join('\n');
}

/** What RELIABILITY.md says about where and how the table was made. */
export interface ReportContext {
  readonly command: string;
  readonly n: number;
  readonly durationMs: number;
  readonly secretScan: { readonly logBytes: number; readonly deadLetters: number; readonly hits: readonly string[] };
}

/** The whole RELIABILITY.md. */
export function reliabilityReport(rows: readonly ScenarioResult[], context: ReportContext): string {
  const kafkajs = JSON.parse(readFileSync(new URL('../../../node_modules/kafkajs/package.json', import.meta.url), 'utf8'))
    .version as string;
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0]?.trim() ?? 'unknown';
  const cpu = cpus();
  const passed = rows.every(rowPasses) && context.secretScan.hits.length === 0;
  const notes = rows.filter((row) => row.notes.length > 0).map((row) => `- **${row.id}**: ${row.notes.join('; ')}`);
  return `# Reliability: faults injected into the real pipeline, then counted

Written by \`${context.command}\` (\`test/reliability/run.ts\`) on ${new Date().toISOString().slice(0, 10)}; do not edit by hand.
**${passed ? "Every scenario: lost 0, order violations 0, every duplicate carries its first copy's id." : 'FAILED: see the rows with lost, order violations or unidentified duplicates.'}**

- Machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${type()} ${release()} (shared with other work while it ran).
- Versions: Node ${process.version}, Apache Kafka ${KAFKA_VERSION} (single KRaft node from the Maven jars, topic auto-creation off), kafkajs ${kafkajs}, toxiproxy ${TOXIPROXY_VERSION}, ${java}.
- Size: N = ${context.n.toLocaleString('en')} input records per scenario, 50 keys over 3 partitions, batches of up to 100; ${seconds(context.durationMs)} in all.

## What runs

One function (a record route: one output per input record, a dead-letter topic, default retries) under the local event source mapping emulator, in its own Node process, exactly as \`npm run dev\` runs functions. The emulator reads the input topic directly; the function's producer reaches the broker only through toxiproxy (the broker advertises the proxy's address on a second listener, so reconnects stay behind the proxy). Scenario 8's inputs are Avro in Confluent framing, decoded through the project's local Confluent-compatible registry, also behind toxiproxy. Inputs are produced while the fault script runs. Afterwards the output and dead-letter topics are read back from the beginning and counted.

## Results

${reliabilityTable(rows)}

- **distinct outputs**: output messages after dropping copies with an \`x-message-id\` already seen.
- **duplicates delivered**: copies beyond the first, outputs and dead letters together; in brackets, those whose \`x-message-id\` is their first copy's (a consumer can drop them). The two numbers must be equal.
- **lost** = N − inputs with an output − inputs dead-lettered. Must be 0.
- **order violations**: per key, first deliveries whose source offset is lower than an earlier first delivery's. Must be 0.
- **time to recover**: from the end of a fault (for a crash, the SIGKILL itself, so the restart is included) to the next input newly accounted for downstream; the longest of the scenario's faults. "—": the fault never stops the pipeline.
- **failed invocations / redelivered records / workers killed**: evidence the fault landed (invocations that threw; records the emulator delivered again after a failure it saw; pipeline processes SIGKILLed, whose in-flight batches the next process reads again from the last commit).

## Side effects, with and without the idempotency layer

Scenarios 2 and 3a count a side effect (one Redis \`INCR\` per handled input, before the output, as a payment call would be); 2i and 3ai run the same faults with the effect behind \`idempotent()\` (Powertools Idempotency, its Redis cache persistence layer, a local \`redis-server\`).

${effectsTable(rows)}

An effect that still runs twice behind \`idempotent()\` belongs to a record whose container was SIGKILLed after the effect and before its completion was stored: no store outside the effect's own transaction can close that window. The layer bounds it to the records in flight at the crash (at most one per partition); every other redelivery (thrown invocations, lost flushes, redelivered batches) runs the effect once.

${notes.length > 0 ? `Notes:\n\n${notes.join('\n')}\n` : ''}
Secret scan: ${(context.secretScan.logBytes / 1024).toFixed(0)} KiB of worker logs and the headers of ${context.secretScan.deadLetters} dead letters searched for the secret-looking token the poison records carried (whole, or any 8 characters of it): ${context.secretScan.hits.length === 0 ? '0 hits' : context.secretScan.hits.join(', ')}.
`;
}
