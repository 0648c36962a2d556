import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, importsOf, sourceFiles, staticClosure } from '../../support/import-graph.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const isHarness = (path: string) => path.startsWith('src/harness/');

describe('the import graph', () => {
  it('keeps the runtime (what a Lambda bundle holds) free of the harness, even type-only or dynamic imports', () => {
    const offending = sourceFiles(ROOT, 'src/runtime')
      .flatMap((file) => importsOf(ROOT, file))
      .filter((edge) => isHarness(edge.to))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(offending).toEqual([]);
  });

  it('has no import cycles in src, type-only ones included', () => {
    expect(findCycles(ROOT, [...sourceFiles(ROOT, 'src/runtime'), ...sourceFiles(ROOT, 'src/harness')])).toEqual([]);
  });

  it('loads neither the local harness nor kafkajs with kafka-lambda-router/testing (real mode is a dynamic import)', () => {
    const loaded = [...staticClosure(ROOT, 'src/harness/testing/index.ts')];
    expect(loaded.filter((path) => path.startsWith('src/harness/local/') || path === 'kafkajs' || path.startsWith('@aws-sdk/'))).toEqual(
      [],
    );
  });

  it('loads no AWS SDK client with the main entry (they load lazily on the paths that need them)', () => {
    const loaded = [...staticClosure(ROOT, 'src/runtime/index.ts')];
    expect(loaded.filter((path) => path.startsWith('@aws-sdk/'))).toEqual([]);
  });

  it('sees a runtime file importing the harness (the check itself works)', () => {
    const edges = importsOf(ROOT, 'src/runtime/router/lane.ts', "import type { TestBroker } from '../../harness/testing/types.js';\n");
    expect(edges.filter((edge) => isHarness(edge.to)).map((edge) => edge.to)).toEqual(['src/harness/testing/types.ts']);
  });
});
