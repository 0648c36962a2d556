// `npm run soak [-- --invocations 100000]`: a warm container under 100,000 invocations; writes the soak section of RELIABILITY.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startSuiteEnvironment } from './support/environment.js';
import { soakPasses, soakSection, withSoakSection } from './support/soak-report.js';
import { runSoak } from './support/soak-run.js';

const flag = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const invocations = Number(flag('invocations') ?? 100_000);
const log = (line: string) => process.stderr.write(`${line}\n`);

const env = await startSuiteEnvironment(log);
let result: Awaited<ReturnType<typeof runSoak>>;
try {
  result = await runSoak(env, { invocations, log });
} finally {
  await env.stop();
}
const section = soakSection(result, `npm run soak${invocations === 100_000 ? '' : ` -- --invocations ${invocations}`}`);
process.stdout.write(`${section}\n`);
if (invocations >= 100_000) {
  const file = fileURLToPath(new URL('../../RELIABILITY.md', import.meta.url));
  writeFileSync(file, withSoakSection(existsSync(file) ? readFileSync(file, 'utf8') : '', section));
  process.stdout.write('wrote the soak section of RELIABILITY.md\n');
}
process.exit(soakPasses(result) ? 0 : 1);
