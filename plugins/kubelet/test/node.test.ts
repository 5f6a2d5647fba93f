import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster } from '@skiff/sdk/testing';
import { nodeAgent, nodeAgentOf, nodeAgentPluginName } from '../src/index.js';
import { clusterWithAgent } from './fixtures.js';

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

describe('node registration', () => {
  it('registers the Node with capacity, labels, addresses, node info and Ready', async () => {
    tc = await clusterWithAgent();
    const node = await tc.client.resource('v1', 'Node').get('node-1');
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux' });
    expect(node.spec).toMatchObject({ podCIDR: '127.10.0.0/24', podCIDRs: ['127.10.0.0/24'] });
    expect(node.status?.capacity).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '20Gi' });
    expect(node.status?.allocatable).toMatchObject({ pods: '110' });
    expect(node.status?.addresses).toEqual(expect.arrayContaining([{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-1' }]));
    expect(node.status?.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.0-skiff', containerRuntimeVersion: expect.stringMatching(/^skiff-mock:\/\//) });
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(node.status?.conditions?.find((c) => c.type === type)?.status).toBe('False');
    }
  });

  it('creates and renews its Lease in kube-node-lease', async () => {
    tc = await clusterWithAgent();
    const leases = tc.client.resource('coordination.k8s.io/v1', 'Lease');
    const first = await leases.get('node-1', { namespace: 'kube-node-lease' });
    expect(first.spec).toMatchObject({ holderIdentity: 'node-1', leaseDurationSeconds: 40 });
    const firstRenew = first.spec?.renewTime ?? '';
    await eventually(async () => {
      const lease = await leases.get('node-1', { namespace: 'kube-node-lease' });
      expect(Date.parse(lease.spec?.renewTime ?? '')).toBeGreaterThan(Date.parse(firstRenew));
    }, { timeoutMs: 5_000 });
  });

  it('runs several agents in one cluster, one Node each', async () => {
    tc = await createTestCluster({
      plugins: [mockRuntime(), nodeAgent({ nodeName: 'node-a', podCIDR: '127.11.0.0/24' }), nodeAgent({ nodeName: 'node-b', podCIDR: '127.12.0.0/24' })],
    });
    const nodes = await tc.client.resource('v1', 'Node').list();
    expect(nodes.items.map((n) => [n.metadata.name, n.spec?.podCIDR]).sort()).toEqual([
      ['node-a', '127.11.0.0/24'],
      ['node-b', '127.12.0.0/24'],
    ]);
    expect(nodeAgentOf(tc.cluster, 'node-a')?.options.nodeName).toBe('node-a');
  });

  it('rejects invalid options before the cluster starts', async () => {
    await expect(createTestCluster({ plugins: [mockRuntime(), nodeAgent({ nodeName: 'n', podCIDR: '10.0.0.0/24' })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
  });

  it('names plugins per node so several agents fit in one cluster', () => {
    expect(nodeAgentPluginName('node-1')).toBe('NodeAgentNode1');
    expect(nodeAgentPluginName('worker.a')).toBe('NodeAgentWorkerA');
  });
});
