import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CommandRegistration } from '../command.js';
import { collect, wholeNumber } from '../command.js';
import { CliError } from '../errors.js';
import { createOutput } from '../output.js';
import { locateService } from '../service.js';
import { registerCapture } from './events-capture.js';

interface EventsOptions {
  readonly config?: string;
  readonly stage?: string;
  readonly out: string;
  readonly function?: string[];
  readonly count: number;
  readonly samples?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

/** `events`: a sample Kafka event per function of the user's serverless.yml, for `serverless invoke local --path`. */
export const registerEvents: CommandRegistration = (program) => {
  const events = program
    .command('events')
    .description('write a sample event per function, for serverless invoke local')
    .option('-c, --config <file>', 'serverless config file (default: the nearest serverless.yml)')
    .option('-s, --stage <stage>', 'stage to resolve serverless.yml with')
    .option('-o, --out <folder>', 'where to write <function-name>.json, relative to the service', 'events')
    .option('-f, --function <name>', 'only this function (repeatable)', collect)
    .option('-n, --count <n>', 'records per topic', wholeNumber(1), 3)
    .option('--samples <file>', 'JSON file of sample values, { "<topic>": [value, …] }, for schemas that cannot describe themselves')
    .option('--force', 'overwrite existing event files')
    .option('--json', 'print {"events":[{"function","file","written","records","topics":[…]}]} as JSON')
    .addHelpText(
      'after',
      "\nValues come from each route's schema (its JSON Schema: zod, arktype, valibot's adapter…), checked against the schema;\n" +
        'a topic whose schema cannot describe itself gets a placeholder and a warning. Then:\n' +
        '  npx serverless invoke local -f <function> --path events/<function-name>.json',
    )
    .action((options: EventsOptions) => writeEvents(options));
  // `events capture --out …`: options after the subcommand are its own, not the sample-writing command's.
  events.enablePositionalOptions();
  registerCapture(events);
};

async function writeEvents(options: EventsOptions): Promise<void> {
  const out = createOutput({ json: options.json === true, prefix: 'events' });
  const service = locateService(options);
  const [{ loadLocalFunctions }, { sampleEventFor }, { readSamplesFile }, { eventFileText, kebabCase }] = await Promise.all([
    import('../../local/emulator/functions.js'),
    import('../../local/samples/function-event.js'),
    import('../../local/samples/route-samples.js'),
    import('../../local/samples/event-file.js'),
  ]);
  const samples = options.samples ? readSamplesFile(resolve(options.samples)) : undefined;
  out.progress(`loading the functions of ${service.file}`);
  const all = await loadLocalFunctions(service);
  const unknown = (options.function ?? []).filter((name) => !all.some((fn) => fn.name === name));
  if (unknown.length > 0) {
    throw new CliError(
      'USAGE',
      `--function ${unknown.join(', ')}: not in ${service.file} (functions: ${all.map((fn) => fn.name).join(', ')})`,
    );
  }
  const chosen = options.function?.length ? all.filter((fn) => options.function?.includes(fn.name)) : all;
  const folder = resolve(service.cwd, options.out);
  const written: unknown[] = [];
  for (const fn of chosen) {
    const sample = await sampleEventFor(fn, { count: options.count, ...(samples ? { samples } : {}) });
    if (!sample) {
      out.info(`${fn.name}: no msk or kafka event in serverless.yml, skipped`);
      continue;
    }
    const file = join(folder, `${kebabCase(fn.name)}.json`);
    const exists = existsSync(file);
    if (!exists || options.force) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, eventFileText(sample.event));
    }
    const shown = file.startsWith(process.cwd()) ? relative(process.cwd(), file) : file;
    const records = Object.values(sample.event.records).reduce((sum, lane) => sum + lane.length, 0);
    written.push({
      function: fn.name,
      file,
      written: !exists || options.force === true,
      records,
      topics: sample.topics.map(({ values, plain, ...t }) => t),
    });
    out.info(
      exists && !options.force
        ? `${fn.name}: ${shown} exists, kept (--force overwrites)`
        : `${fn.name}: wrote ${shown} (${records} records: ${sample.topics.map((t) => `${t.topic} from ${t.origin}`).join(', ')})`,
    );
    for (const topic of sample.topics) if (topic.problem) out.info(`  warning: ${topic.topic}: ${topic.problem}`);
  }
  out.result({ events: written });
}
