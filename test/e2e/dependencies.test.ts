import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deprecationOf, licenceProblems, type RuntimeTree, runtimeTree } from '../../scripts/sbom.js';
import { ROOT } from '../support/cli.js';

// Dependency hygiene of what users install at run time. Needs the npm registry (reachable here and in CI);
// npm's advisory endpoint is not, so `npm audit` cannot run: deprecations and licences are what is checked.
let tree: RuntimeTree;
beforeAll(async () => {
  tree = await runtimeTree();
}, 120_000);

const readme = () => readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('runtime dependencies', () => {
  it('are described by a CycloneDX SBOM of the runtime tree only', () => {
    expect(tree.bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: expect.stringMatching(/^1\./) });
    const names = tree.bom.components.map((c) => c.name);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies)) expect(names).toContain(name);
    for (const name of ['vitest', 'osls', 'typescript', '@biomejs/biome']) expect(names).not.toContain(name);
  });

  it('carry only allowed licences', () => {
    expect(licenceProblems(tree.bom.components)).toEqual([]);
    // The check itself flags what it must.
    expect(
      licenceProblems([
        { name: 'copyleft', version: '1.0.0', licenses: [{ license: { id: 'GPL-3.0-only' } }] },
        { name: 'bare', version: '2.0.0' },
      ]),
    ).toEqual(['copyleft@1.0.0 (GPL-3.0-only)', 'bare@2.0.0 (no licence)']);
  });

  it('are not deprecated on the registry', async (context) => {
    // A version the public registry marks deprecated: unless it is reported, an empty list below would prove nothing.
    if (!(await deprecationOf('request', '2.88.2'))) {
      process.stderr.write(
        '[deps] the registry this machine reaches serves no deprecation notices (request@2.88.2 shows none): deprecation check skipped\n',
      );
      context.skip();
    }
    const deprecated: string[] = [];
    const queue = [...tree.bom.components];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const message = await deprecationOf(next.name, next.version);
          if (message) deprecated.push(`${next.name}@${next.version}: ${message}`);
        }
      }),
    );
    expect(deprecated).toEqual([]);
  }, 120_000);

  it('flag a version its registry marks deprecated (a registry stand-in on 127.0.0.1, read by the real npm CLI)', async () => {
    const packument = (name: string) => ({
      name,
      'dist-tags': { latest: '2.0.0' },
      versions: Object.fromEntries(
        ['1.0.0', '2.0.0'].map((version) => [
          version,
          {
            name,
            version,
            ...(version === '1.0.0' ? { deprecated: 'use 2.x: 1.x leaks sockets' } : {}),
            dist: { tarball: `http://127.0.0.1/${name}-${version}.tgz`, shasum: '0'.repeat(40) },
          },
        ]),
      ),
    });
    const server = createServer((request, response) => {
      const name = decodeURIComponent((request.url ?? '/').slice(1));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument(name)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      expect(await deprecationOf('left-pad-ish', '1.0.0', registry)).toBe('use 2.x: 1.x leaks sockets');
      expect(await deprecationOf('left-pad-ish', '2.0.0', registry)).toBeUndefined();
    } finally {
      server.close();
    }
  }, 120_000);

  it('are counted and sized in the README as they are', () => {
    const stated = /(\d+) runtime packages, ([\d.]+) MiB installed/.exec(readme());
    expect(stated, 'README states "<n> runtime packages, <size> MiB installed"').not.toBeNull();
    expect(Number(stated?.[1])).toBe(tree.bom.components.length);
    const mib = tree.installedBytes / 2 ** 20;
    expect(Math.abs(Number(stated?.[2]) - mib)).toBeLessThanOrEqual(Math.max(0.5, mib * 0.1));
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies))
      expect(readme(), `README justifies ${name}`).toMatch(new RegExp(`\\| \`${name}\` \\|`));
  });
});
