import { type FSWatcher, readdirSync, watch } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** Folders never watched: dependencies, build output, tool state. */
const IGNORED = new Set(['node_modules', 'dist', 'coverage', 'bench', 'events']);

/** The folders of a service worth watching for code changes: its top-level folders, minus dependencies, build output and dot-folders. */
export function sourceFolders(serviceDir: string): string[] {
  return readdirSync(serviceDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !IGNORED.has(entry.name))
    .map((entry) => join(serviceDir, entry.name));
}

/**
 * Calls `onChange` (debounced by `delayMs`) when a .ts/.js/.mjs/.cjs/.json file changes under `folders`,
 * with the changed path relative to `baseDir`. Returns a function that stops watching.
 */
export function watchSources(folders: readonly string[], baseDir: string, onChange: (file: string) => void, delayMs = 200): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = folders.map((folder) =>
    watch(folder, { recursive: true }, (_event, file) => {
      if (!file || !/\.(ts|mts|cts|js|mjs|cjs|json)$/.test(String(file))) return;
      if (
        String(file)
          .split(/[\\/]/)
          .some((part) => part === 'node_modules' || part.startsWith('.'))
      )
        return;
      clearTimeout(timer);
      timer = setTimeout(() => onChange(relative(baseDir, join(resolve(folder), String(file)))), delayMs);
    }),
  );
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
