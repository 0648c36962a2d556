import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One import of a source file: where it points and whether it is a dynamic `import()`. */
export interface ImportEdge {
  readonly from: string;
  /** A repository-relative file path for relative imports, else the bare package specifier. */
  readonly to: string;
  readonly dynamic: boolean;
}

const STATIC = /^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every `.ts` file under `dir` (repository-relative paths). */
export function sourceFiles(root: string, dir: string): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(relative(root, full));
    }
  };
  walk(join(root, dir));
  return files.sort();
}

/** The imports of one file: static ones (type-only included) and dynamic ones, resolved to files where relative. */
export function importsOf(root: string, file: string, text = readFileSync(join(root, file), 'utf8')): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const add = (specifier: string, dynamic: boolean) => {
    if (!specifier.startsWith('.')) {
      edges.push({ from: file, to: specifier, dynamic });
      return;
    }
    const target = resolve(root, dirname(file), specifier);
    const candidates = [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, join(target, 'index.ts')];
    const found = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? target;
    edges.push({ from: file, to: relative(root, found), dynamic });
  };
  for (const match of text.matchAll(STATIC)) add(match[1] as string, false);
  for (const match of text.matchAll(DYNAMIC)) add(match[1] as string, true);
  return edges;
}

/** Files and packages reachable from `entry` through static imports only (what loading the entry loads). */
export function staticClosure(root: string, entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (!file.endsWith('.ts')) continue;
    for (const edge of importsOf(root, file)) {
      if (edge.dynamic || seen.has(edge.to)) continue;
      seen.add(edge.to);
      queue.push(edge.to);
    }
  }
  return seen;
}

/** Import cycles among `files` through static imports (type-only included), each as a path `a -> b -> a`. */
export function findCycles(root: string, files: readonly string[]): string[] {
  const graph = new Map(
    files.map((f) => [
      f,
      importsOf(root, f)
        .filter((e) => !e.dynamic && e.to.endsWith('.ts'))
        .map((e) => e.to),
    ]),
  );
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (node: string) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}
