import { afterEach, describe, expect, it } from 'vitest';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { MOCK_ANNOTATIONS, RUNTIME_REGISTRY, type RuntimeFactory } from '@skiff/sdk';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { NodeAgent } from '../src/index.js';
import { boundPod, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

describe('graceful node shutdown (shutdownGracePeriodSeconds)', () => {
  it('stops and removes every pod when the agent stops, each within the cap, then a new agent starts them again', async () => {
    tc = await createTestCluster({ plugins: [mockRuntime()] });
    const options = { nodeName: 'node-1', renewIntervalMs: 100, syncIntervalMs: 50, secondsScale: 1, shutdownGracePeriodSeconds: 1 };
    const first = new NodeAgent(tc.cluster, options);
    await first.start();
    const pods = tc.client.resource('v1', 'Pod');
    await pods.create(boundPod('web'));
    // Ignores SIGTERM and has a 30 s grace period: the 1 s cap bounds its stop.
    await pods.create(boundPod('stubborn', { annotations: { [MOCK_ANNOTATIONS.ignoreSigterm]: 'true' }, spec: { terminationGracePeriodSeconds: 30 } }));
    await eventually(async () => {
      for (const name of ['web', 'stubborn']) expect((await getPod(tc!, name)).status?.phase).toBe('Running');
    });

    const started = Date.now();
    await first.stop();
    const stopMs = Date.now() - started;
    const rt = await tc.cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get('mock')({ nodeName: 'node-1' });
    expect(await rt.listContainers()).toEqual([]);
    expect(await rt.listPodSandboxes()).toEqual([]);
    expect(stopMs).toBeGreaterThanOrEqual(900);
    expect(stopMs).toBeLessThan(20_000);
    // The pods stay bound to the node; the next agent runs them again.
    const second = new NodeAgent(tc.cluster, { ...options, shutdownGracePeriodSeconds: undefined });
    await second.start();
    try {
      await eventually(async () => expect((await rt.listContainers({ state: 'running' })).length).toBe(2));
    } finally {
      await second.stop();
    }
    expect((await rt.listContainers({ state: 'running' })).length).toBe(2);
  });
});
