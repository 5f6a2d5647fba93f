import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCluster } from '@skiff/core';
import { RUNTIME_REGISTRY, type RuntimeFactory } from '@skiff/sdk';
import { ProcessRuntime, defaultStateDir, processRuntime } from '../src/index.js';
import { reap, tempStateDir } from './helpers.js';

const root = tempStateDir('skiff-process-plugin-');
afterAll(() => {
  expect(reap(join(root, 'node-1'))).toEqual([]);
  reap(root);
});

describe('processRuntime plugin', () => {
  it('registers "process"; each node gets its own state directory under stateDir', async () => {
    const cluster = await createCluster({ plugins: [processRuntime({ stateDir: root, logMaxBytes: 65536 })] });
    const registry = cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY);
    expect(registry.names()).toEqual(['process']);
    const a = (await registry.get('process')({ nodeName: 'node-1' })) as ProcessRuntime;
    const b = (await registry.get('process')({ nodeName: 'node-2' })) as ProcessRuntime;
    expect(a).toBeInstanceOf(ProcessRuntime);
    expect(a.stateDir).toBe(join(root, 'node-1'));
    expect(b.stateDir).toBe(join(root, 'node-2'));
    expect(a.logMaxBytes).toBe(65536);
    await a.runPodSandbox({ podUid: 'u', namespace: 'default', name: 'p', ip: '127.82.0.2', hostname: 'p', labels: {}, annotations: {} });
    expect(await a.listPodSandboxes()).toHaveLength(1);
    expect(await b.listPodSandboxes()).toHaveLength(0);
    expect(await a.version()).toEqual({ runtimeName: 'skiff-process', runtimeVersion: expect.any(String) });
    for (const s of await a.listPodSandboxes()) await a.removePodSandbox(s.id);
    await a.close();
    await b.close();
    expect(defaultStateDir('node-1')).toMatch(/skiff-process-node-1$/);
  });

  it('validates its options', async () => {
    await expect(createCluster({ plugins: [processRuntime({ logMaxFiles: 0 })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
    await expect(createCluster({ plugins: [processRuntime({ logMaxBytes: 10 })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
    await expect(createCluster({ plugins: [processRuntime({ stateDir: '' })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
  });

  it('fails every call with SKIFF_ERR_RUNTIME_UNAVAILABLE once closed', async () => {
    const rt = new ProcessRuntime({ stateDir: join(root, 'closed') });
    await rt.close();
    await rt.close();
    await expect(rt.version()).rejects.toMatchObject({ code: 'SKIFF_ERR_RUNTIME_UNAVAILABLE' });
    await expect(rt.listContainers()).rejects.toMatchObject({ code: 'SKIFF_ERR_RUNTIME_UNAVAILABLE' });
    expect(() => rt.subscribeContainerEvents(() => undefined)).toThrow(expect.objectContaining({ code: 'SKIFF_ERR_RUNTIME_UNAVAILABLE' }));
  });
});

describe('state directory safety', () => {
  it('refuses a state directory others may write to', async () => {
    const { chmodSync, mkdirSync } = await import('node:fs');
    const dir = join(root, 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(() => new ProcessRuntime({ stateDir: dir })).toThrow(expect.objectContaining({ code: 'SKIFF_ERR_RUNTIME_UNAVAILABLE' }));
  });
});
