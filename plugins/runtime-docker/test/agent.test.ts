import { afterEach, expect, it } from 'vitest';
import type { Pod } from '@skiff/core';
import { NodeAgent, type NodeAgentOptions } from '@skiff/plugin-kubelet';
import { RUNTIME_LABELS } from '@skiff/sdk';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { DockerRuntime, dockerRuntime } from '../src/index.js';
import { TEST_IMAGE, describeEngine, runtimeOptions, testNode } from './engine.js';

const nodeName = testNode('docker-agent');
let tc: TestCluster | undefined;
const agents: NodeAgent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await tc?.stop();
  tc = undefined;
});

function agent(t: TestCluster, options: Partial<NodeAgentOptions> = {}): NodeAgent {
  const a = new NodeAgent(t.cluster, { nodeName, runtime: 'docker', renewIntervalMs: 200, syncIntervalMs: 100, podCIDR: '127.31.0.0/24', ...options });
  agents.push(a);
  return a;
}

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'sleeper', namespace: 'default' },
  spec: { nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: TEST_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
};

describeEngine('the node agent on the Docker runtime', { timeout: 90_000 }, () => {
  it('a restarted agent adopts the running container by its labels; with graceful shutdown the agent removes it', async () => {
    const { nodeName: _ignored, ...plugin } = runtimeOptions(nodeName);
    tc = await createTestCluster({ plugins: [dockerRuntime(plugin)] });
    await agent(tc).start();
    await tc.client.resource('v1', 'Pod').create(pod);
    const running = await eventually(async () => {
      const p = await tc!.client.resource('v1', 'Pod').get('sleeper', { namespace: 'default' });
      expect(p.status?.phase).toBe('Running');
      return p;
    }, { timeoutMs: 60_000 });
    const firstId = running.status?.containerStatuses?.[0]?.containerID;
    expect(firstId).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    await agents.pop()!.stop();

    // A new agent (as after a restart) finds the container by its labels and keeps it.
    const second = agent(tc, { shutdownGracePeriodSeconds: 5 });
    await second.start();
    const look = new DockerRuntime(runtimeOptions(nodeName));
    try {
      const uid = running.metadata.uid ?? '';
      const before = await look.listContainers({ labels: { [RUNTIME_LABELS.podUid]: uid } });
      expect(before.map((c) => `docker://${c.id}`)).toEqual([firstId]);
      expect(before[0]?.state).toBe('running');
      // The pod stays as it was: same container, no restart.
      const again = await tc.client.resource('v1', 'Pod').get('sleeper', { namespace: 'default' });
      expect(again.status?.containerStatuses?.[0]).toMatchObject({ containerID: firstId, restartCount: 0 });

      // Graceful node shutdown: stopping the agent removes the pod's containers and sandbox.
      await agents.pop()!.stop();
      expect(await look.listContainers()).toEqual([]);
      expect(await look.listPodSandboxes()).toEqual([]);
    } finally {
      await look.close();
    }
  });
});
