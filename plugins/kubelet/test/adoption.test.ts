import { afterEach, describe, expect, it } from 'vitest';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { RUNTIME_LABELS, RUNTIME_REGISTRY, type RuntimeFactory } from '@skiff/sdk';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { NodeAgent, type NodeAgentOptions } from '../src/index.js';
import { boundPod, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
const agents: NodeAgent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await tc?.stop();
  tc = undefined;
});

const options: NodeAgentOptions = { nodeName: 'node-1', renewIntervalMs: 100, syncIntervalMs: 50, restartBackoff: { initialMs: 50, maxMs: 400 } };

function agent(t: TestCluster): NodeAgent {
  const a = new NodeAgent(t.cluster, options);
  agents.push(a);
  return a;
}

describe('adoption after an agent restart', () => {
  it('a new agent adopts running containers instead of starting duplicates, and removes orphans', async () => {
    tc = await createTestCluster({ plugins: [mockRuntime()] });
    const first = agent(tc);
    await first.start();
    await tc.client.resource('v1', 'Pod').create(boundPod('web'));
    const running = await eventually(async () => {
      const p = await getPod(tc!, 'web');
      expect(p.status?.phase).toBe('Running');
      return p;
    });
    await first.stop();

    const rt = await tc.cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get('mock')({ nodeName: 'node-1' });
    const before = await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: running.metadata.uid ?? '' } });
    expect(before).toHaveLength(1);
    expect(before[0]!.state).toBe('running');
    // An orphan: a sandbox and container of a pod that no longer exists.
    const { sandboxId } = await rt.runPodSandbox({ podUid: 'gone-uid', namespace: 'default', name: 'gone', ip: '127.10.0.200', hostname: 'gone', labels: { [RUNTIME_LABELS.podUid]: 'gone-uid' }, annotations: {} });
    const orphan = await rt.createContainer(sandboxId, { name: 'app', image: 'busybox', env: [], labels: { [RUNTIME_LABELS.podUid]: 'gone-uid', [RUNTIME_LABELS.containerName]: 'app' }, annotations: {} });
    await rt.startContainer(orphan);

    const second = agent(tc);
    await second.start();
    expect(await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: 'gone-uid' } })).toHaveLength(0);
    expect(await rt.listPodSandboxes({ labels: { [RUNTIME_LABELS.podUid]: 'gone-uid' } })).toHaveLength(0);

    // A new pod must not get the adopted pod's address.
    await tc.client.resource('v1', 'Pod').create(boundPod('other'));
    const other = await eventually(async () => {
      const p = await getPod(tc!, 'other');
      expect(p.status?.phase).toBe('Running');
      return p;
    });
    expect(other.status?.podIP).not.toBe(running.status?.podIP);
    const after = await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: running.metadata.uid ?? '' } });
    expect(after.map((c) => c.id)).toEqual(before.map((c) => c.id));
    const web = await getPod(tc, 'web');
    expect(web.status?.phase).toBe('Running');
    expect(web.status?.podIP).toBe(running.status?.podIP);
  });
});
