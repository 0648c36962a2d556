import { benchBigBatch } from './big-batch.js';
import { benchBilledCost } from './billed-cost.js';
import { benchColdStart } from './cold-start.js';
import { benchDispatch } from './dispatch.js';
import { benchEndToEnd } from './e2e.js';
import { benchFirstInvocation } from './first-invocation.js';
import { benchGrowth } from './growth.js';
import { writeSection } from './lib/report.js';
import { benchMemory } from './memory.js';
import { benchPublish } from './publish.js';
import { benchSchemaDispatch } from './schema-dispatch.js';
import { benchTracing } from './tracing.js';

// `npm run bench [-- <name>…] [-- --smoke]`: runs the named benchmarks (all by default),
// prints each report and, unless --smoke, writes it into bench/RESULTS.md.
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = args.filter((a) => !a.startsWith('--'));
const benches: Record<string, () => Promise<{ markdown: string }>> = {
  'billed-cost': () => benchBilledCost({ smoke }),
  dispatch: () => benchDispatch({ smoke }),
  tracing: () => benchTracing({ smoke }),
  'schema-dispatch': () => benchSchemaDispatch({ smoke }),
  publish: () => benchPublish({ smoke }),
  'cold-start': () => benchColdStart({ smoke }),
  'big-batch': () => benchBigBatch({ smoke }),
  'first-invocation': () => benchFirstInvocation({ smoke }),
  memory: () => benchMemory({ smoke }),
  growth: () => benchGrowth({ smoke }),
  e2e: () => benchEndToEnd({ smoke }),
};

for (const [name, bench] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  process.stdout.write(`\n$ npm run bench -- ${name}${smoke ? ' --smoke' : ''}\n`);
  const { markdown } = await bench();
  process.stdout.write(`${markdown}\n`);
  if (!smoke) writeSection(name, markdown);
}
