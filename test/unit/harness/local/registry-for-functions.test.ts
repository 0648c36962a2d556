import { afterEach, describe, expect, it } from 'vitest';
import type { EventSourceSettings } from '../../../../src/harness/local/emulator/types.js';
import { localRegistryFor } from '../../../../src/harness/local/registry/for-functions.js';
import { setEnv } from '../../../support/env.js';

const plain: EventSourceSettings = { kind: 'msk', topic: 'orders.placed' };
const withRegistry: EventSourceSettings = {
  kind: 'msk',
  topic: 'payments.avro',
  schemaRegistry: { uri: 'https://registry.example.internal', eventRecordFormat: 'SOURCE', attributes: [] },
};

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe('localRegistryFor (dev and demo)', () => {
  it('starts nothing when no event source has a schema registry', async () => {
    const functions = [{ name: 'a', eventSources: [plain] }];
    const { registry, functions: same } = await localRegistryFor(functions);
    expect(registry).toBeUndefined();
    expect(same).toEqual(functions);
  });

  it('starts the local registry and points the sources that have one at it', async () => {
    restore = setEnv({ SCHEMA_REGISTRY_URL: undefined });
    const reload = () => 'kept';
    const { registry, functions } = await localRegistryFor([{ name: 'b', eventSources: [plain, withRegistry], reload }]);
    try {
      expect(registry?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(functions[0]?.eventSources).toEqual([
        plain,
        { ...withRegistry, schemaRegistry: { ...withRegistry.schemaRegistry, uri: registry?.url } },
      ]);
      expect(functions[0]?.reload()).toBe('kept');
      expect(process.env.SCHEMA_REGISTRY_URL).toBe(registry?.url);
      expect((await fetch(`${registry?.url}/subjects`)).status).toBe(200);
    } finally {
      await registry?.close();
    }
  });

  it('puts the previous SCHEMA_REGISTRY_URL back when its registry closes, so later child processes do not inherit a dead URL', async () => {
    restore = setEnv({ SCHEMA_REGISTRY_URL: undefined });
    const first = await localRegistryFor([{ name: 'c', eventSources: [withRegistry] }]);
    expect(process.env.SCHEMA_REGISTRY_URL).toBe(first.registry?.url);
    await first.registry?.close();
    expect(process.env.SCHEMA_REGISTRY_URL).toBeUndefined();

    process.env.SCHEMA_REGISTRY_URL = 'https://registry.example.internal';
    const second = await localRegistryFor([{ name: 'd', eventSources: [withRegistry] }]);
    expect(process.env.SCHEMA_REGISTRY_URL).toBe(second.registry?.url);
    await second.registry?.close();
    expect(process.env.SCHEMA_REGISTRY_URL).toBe('https://registry.example.internal');
  });
});
