import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../../support/import-graph.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Error classes declared in a source text, with the class each extends. */
function errorClasses(text: string): Array<{ name: string; base: string }> {
  return [...text.matchAll(/class\s+(\w+)\s+extends\s+(\w+)/g)]
    .map(([, name, base]) => ({ name: name as string, base: base as string }))
    .filter(({ name, base }) => name.endsWith('Error') || base.endsWith('Error'));
}

/** Throws of anything but the family: strings, bare Error, RangeError, TypeError. */
function strayThrows(text: string): string[] {
  return [...text.matchAll(/throw\s+(new\s+(?:Error|RangeError|TypeError)\b|['"`])/g)].map(([found]) => found);
}

const files = () => [...sourceFiles(ROOT, 'src/runtime'), ...sourceFiles(ROOT, 'src/harness')];

describe('the error family', () => {
  it('has one root: every error class in src extends KafkaRouterError or one of its subclasses', () => {
    const declared = files().flatMap((file) => errorClasses(readFileSync(join(ROOT, file), 'utf8')).map((c) => ({ ...c, file })));
    const family = new Set(['KafkaRouterError']);
    // Subclasses may extend subclasses declared in other files: grow the family until it stops changing.
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of declared) if (family.has(c.base) && !family.has(c.name)) grew = family.add(c.name).has(c.name);
    }
    const outside = declared
      .filter((c) => c.name !== 'KafkaRouterError' && !family.has(c.name))
      .map((c) => `${c.file}: ${c.name} extends ${c.base}`);
    expect(declared.length).toBeGreaterThan(15);
    expect(outside).toEqual([]);
  });

  it('throws nothing outside the family: no strings, bare Error, RangeError or TypeError', () => {
    const found = files().flatMap((file) => strayThrows(readFileSync(join(ROOT, file), 'utf8')).map((t) => `${file}: ${t}`));
    expect(found).toEqual([]);
  });

  it('sees a stray error class and a stray throw (the checks themselves work)', () => {
    expect(errorClasses('export class HarnessError extends Error {}')).toEqual([{ name: 'HarnessError', base: 'Error' }]);
    expect(strayThrows("if (x) throw new TypeError('no'); throw 'oops';")).toEqual(['throw new TypeError', "throw '"]);
  });
});
