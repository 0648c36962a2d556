// `npm run mutation:summary` (after `npm run test:mutation`): rewrites the generated tables of test/MUTATION.md from
// reports/mutation/mutation.json, so the committed summary is the report's, not a hand copy. Reasons for equivalent
// mutants live in test/mutation-equivalents.json, matched by file, mutator, original text and replacement (not by
// line, which moves with every edit above it); a survivor without a reason is listed as not yet handled.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../src/runtime/errors/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REPORT = `${ROOT}reports/mutation/mutation.json`;
const EQUIVALENTS = `${ROOT}test/mutation-equivalents.json`;
const SUMMARY = `${ROOT}test/MUTATION.md`;

/** A mutant as the mutation-testing-report-schema's JSON report has it (the fields read here). */
interface ReportMutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: {
    readonly start: { readonly line: number; readonly column: number };
    readonly end: { readonly line: number; readonly column: number };
  };
}

/** StrykerJS's JSON report (the fields read here). */
interface Report {
  readonly files: Record<string, { readonly source: string; readonly mutants: readonly ReportMutant[] }>;
}

/** Why a surviving mutant cannot be seen by any test. */
export interface Equivalent {
  readonly file: string;
  readonly mutator: string;
  readonly original: string;
  readonly replacement: string;
  readonly reason: string;
}

/** One surviving (or uncovered) mutant, ready for the table. */
export interface Survivor {
  readonly file: string;
  readonly line: number;
  readonly mutator: string;
  readonly status: string;
  readonly original: string;
  readonly replacement: string;
}

/** Detected = Killed + Timeout; the score's denominator adds Survived + NoCoverage (Stryker's own definition). */
export interface FolderScore {
  readonly folder: string;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
}

/** The text a mutant replaced, from its 1-based line / column location. */
function originalText(source: string, mutant: ReportMutant): string {
  const lines = source.split('\n');
  const { start, end } = mutant.location;
  if (start.line === end.line) return (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1);
  const first = (lines[start.line - 1] ?? '').slice(start.column - 1);
  const last = (lines[end.line - 1] ?? '').slice(0, end.column - 1);
  return [first, ...lines.slice(start.line, end.line - 1), last].join('\n');
}

/** `src/runtime/router/lane.ts` → `router/`. */
function folderOf(file: string): string {
  const parts = file.split('/');
  return `${parts[2] ?? file}/`;
}

/** Scores per runtime folder, by folder name. */
export function folderScores(report: Report): FolderScore[] {
  const byFolder = new Map<string, { killed: number; timeout: number; survived: number; noCoverage: number }>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const folder = folderOf(file);
    const tally = byFolder.get(folder) ?? { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
    for (const mutant of mutants) {
      if (mutant.status === 'Killed') tally.killed++;
      else if (mutant.status === 'Timeout') tally.timeout++;
      else if (mutant.status === 'Survived') tally.survived++;
      else if (mutant.status === 'NoCoverage') tally.noCoverage++;
    }
    byFolder.set(folder, tally);
  }
  return [...byFolder].map(([folder, tally]) => ({ folder, ...tally })).sort((a, b) => a.folder.localeCompare(b.folder));
}

/** Every Survived or NoCoverage mutant, by file then line. */
export function survivors(report: Report): Survivor[] {
  const out: Survivor[] = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue;
      out.push({
        file,
        line: mutant.location.start.line,
        mutator: mutant.mutatorName,
        status: mutant.status,
        original: originalText(source, mutant),
        replacement: mutant.replacement ?? '',
      });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Percent with one decimal; a folder with no valid mutant scores 100. */
function percent(detected: number, valid: number): string {
  return valid === 0 ? '100.0' : ((detected / valid) * 100).toFixed(1);
}

/** A table cell: code, one line, pipes escaped, long snippets cut. */
function cell(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const cut = oneLine.length > 70 ? `${oneLine.slice(0, 67)}...` : oneLine;
  return `\`${cut.replaceAll('|', '\\|').replaceAll('`', "'")}\``;
}

/** The markdown score table, with an "all" row. */
export function scoreTable(scores: readonly FolderScore[]): string {
  const rows = ['| folder | killed | timeout | survived | no coverage | score |', '|---|---:|---:|---:|---:|---:|'];
  const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  for (const s of scores) {
    const detected = s.killed + s.timeout;
    rows.push(
      `| ${s.folder} | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.noCoverage} | ${percent(detected, detected + s.survived + s.noCoverage)}% |`,
    );
    total.killed += s.killed;
    total.timeout += s.timeout;
    total.survived += s.survived;
    total.noCoverage += s.noCoverage;
  }
  const detected = total.killed + total.timeout;
  rows.push(
    `| **all** | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | ${percent(detected, detected + total.survived + total.noCoverage)}% |`,
  );
  return rows.join('\n');
}

/** Whether an equivalence entry describes this survivor (snippets compared with whitespace collapsed). */
function matches(entry: Equivalent, survivor: Survivor): boolean {
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  return (
    entry.file === survivor.file &&
    entry.mutator === survivor.mutator &&
    squash(entry.original) === squash(survivor.original) &&
    squash(entry.replacement) === squash(survivor.replacement)
  );
}

/** The survivor table; a survivor with no equivalence entry says so instead of a reason. */
export function survivorTable(list: readonly Survivor[], equivalents: readonly Equivalent[]): string {
  const rows = ['| file:line | mutator | original → replacement | why no test can see it |', '|---|---|---|---|'];
  for (const s of list) {
    const reason = (equivalents.find((entry) => matches(entry, s))?.reason ?? '**not yet handled**').replaceAll('|', '\\|');
    const status = s.status === 'NoCoverage' ? ' (no coverage)' : '';
    rows.push(
      `| ${s.file.replace('src/runtime/', '')}:${s.line} | ${s.mutator}${status} | ${cell(s.original)} → ${cell(s.replacement)} | ${reason} |`,
    );
  }
  return rows.join('\n');
}

/** Replaces the text between `<!-- name -->` and `<!-- /name -->`. */
function replaceBlock(doc: string, name: string, body: string): string {
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const from = doc.indexOf(open);
  const to = doc.indexOf(close);
  if (from < 0 || to < from) throw new ConfigError(`test/MUTATION.md has no ${open} … ${close} block`);
  return `${doc.slice(0, from + open.length)}\n${body}\n${doc.slice(to)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = JSON.parse(readFileSync(REPORT, 'utf8')) as Report;
  const equivalents = JSON.parse(readFileSync(EQUIVALENTS, 'utf8')) as Equivalent[];
  const list = survivors(report);
  let doc = readFileSync(SUMMARY, 'utf8');
  doc = replaceBlock(doc, 'mutation:scores', scoreTable(folderScores(report)));
  doc = replaceBlock(doc, 'mutation:survivors', survivorTable(list, equivalents));
  writeFileSync(SUMMARY, doc);
  const unhandled = list.filter((s) => !equivalents.some((entry) => matches(entry, s)));
  const stale = equivalents.filter((entry) => !list.some((s) => matches(entry, s)));
  console.log(`${list.length} survivors, ${unhandled.length} without a reason; ${stale.length} equivalence entries match no survivor`);
  for (const entry of stale) console.log(`  stale: ${entry.file} ${entry.mutator} ${entry.original} → ${entry.replacement}`);
}
