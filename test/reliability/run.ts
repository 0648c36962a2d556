// `npm run chaos [-- --n 10000 --only 1,2]`: the reliability suite. The full run (no --only) writes RELIABILITY.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findSecrets } from '../support/secret-scan.js';
import { SCENARIOS } from './scenarios.js';
import { reliabilityReport, reliabilityTable, rowPasses } from './support/report.js';
import { existingSoakSection, withSoakSection } from './support/soak-report.js';
import { runSuite } from './support/suite.js';

const flag = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const n = Number(flag('n') ?? 10_000);
const only = flag('only')?.split(',');
const scenarios = only ? SCENARIOS.filter((scenario) => only.includes(scenario.id)) : SCENARIOS;

const streamScale = Number(flag('scale') ?? 1);
const result = await runSuite({ n, scenarios, streamScale });
const logsFile = flag('logs');
if (logsFile) writeFileSync(logsFile, result.workerLogs);
const secret = [{ label: 'poison record token', value: result.secret }];
const hits = [
  ...findSecrets(result.workerLogs, secret).map((hit) => `${hit} in worker logs`),
  ...result.rows.flatMap((row) =>
    findSecrets(row.deadLetterHeaders.join('\n'), secret).map((hit) => `${hit} in scenario ${row.id}'s dead-letter headers`),
  ),
];
process.stdout.write(`\n${reliabilityTable(result.rows)}\n\nsecret scan: ${hits.length === 0 ? '0 hits' : hits.join(', ')}\n`);
if (!only) {
  const command = `npm run chaos${n === 10_000 ? '' : ` -- --n ${n}`}`;
  const report = reliabilityReport(result.rows, {
    command,
    n,
    durationMs: result.durationMs,
    secretScan: {
      logBytes: result.workerLogs.length,
      deadLetters: result.rows.reduce((sum, row) => sum + row.deadLetterHeaders.length, 0),
      hits,
    },
  });
  const file = fileURLToPath(new URL('../../RELIABILITY.md', import.meta.url));
  const soak = existsSync(file) ? existingSoakSection(readFileSync(file, 'utf8')) : undefined;
  writeFileSync(file, soak ? withSoakSection(report, soak) : report);
  process.stdout.write('wrote RELIABILITY.md\n');
}
process.exit(result.rows.every(rowPasses) && hits.length === 0 ? 0 : 1);
