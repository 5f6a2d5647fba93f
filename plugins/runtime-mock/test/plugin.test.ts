import { describe, expect, it } from 'vitest';
import { MockRuntime, mockRuntime } from '../src/index.js';
import { createCluster } from '@skiff/core';
import { RUNTIME_REGISTRY, type RuntimeFactory } from '@skiff/sdk';

describe('mockRuntime plugin', () => {
  it('registers "mock" in the runtime registry; instances for one node share a world', async () => {
    const cluster = await createCluster({ plugins: [mockRuntime()] });
    const registry = cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY);
    expect(registry.names()).toEqual(['mock']);
    const factory = registry.get('mock');
    const a = (await factory({ nodeName: 'node-1' })) as MockRuntime;
    const b = (await factory({ nodeName: 'node-1' })) as MockRuntime;
    const other = (await factory({ nodeName: 'node-2' })) as MockRuntime;
    expect(a).toBeInstanceOf(MockRuntime);
    expect(b.world).toBe(a.world);
    expect(other.world).not.toBe(a.world);
    await a.runPodSandbox({ podUid: 'u', namespace: 'default', name: 'p', ip: '127.88.1.2', hostname: 'p', labels: {}, annotations: {} });
    expect(await b.listPodSandboxes()).toHaveLength(1);
    expect(await other.listPodSandboxes()).toHaveLength(0);
    expect(await a.version()).toEqual({ runtimeName: 'skiff-mock', runtimeVersion: expect.any(String) });
  });

  it('validates its options and applies defaults to containers', async () => {
    await expect(createCluster({ plugins: [mockRuntime({ defaults: { startDelayMs: -1 } })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
    const cluster = await createCluster({ plugins: [mockRuntime({ defaults: { memoryBytes: 1024 } })] });
    const rt = await cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get('mock')({ nodeName: 'n' });
    const { sandboxId } = await rt.runPodSandbox({ podUid: 'u', namespace: 'default', name: 'p', ip: '127.88.1.3', hostname: 'p', labels: {}, annotations: {} });
    const id = await rt.createContainer(sandboxId, { name: 'c', image: 'i', env: [], labels: {}, annotations: {} });
    await rt.startContainer(id);
    expect((await rt.stats(id)).memoryWorkingSetBytes).toBe(1024);
  });
});
