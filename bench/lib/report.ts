import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));

/** Where the run happened and with which versions, for the top of every section. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const versions = ['kafkajs', '@aws-lambda-powertools/kafka', '@middy/core', 'zod', 'esbuild']
    .map((name) => `${name} ${packageVersion(name)}`)
    .join(', ');
  return `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}-${process.arch}; ${versions}`;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return '?';
  }
}

/** Replaces (or appends) one bench's section in bench/RESULTS.md, leaving the others. */
export function writeSection(name: string, markdown: string): void {
  let text = '';
  try {
    text = readFileSync(RESULTS, 'utf8');
  } catch {
    text =
      '# Benchmark results\n\nWritten by `npm run bench`; each section says the command that produced it. Ratios compare variants measured in the same run, interleaved.\n';
  }
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  text = start >= 0 && stop > start ? text.slice(0, start) + block + text.slice(stop + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS, text);
}
