import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POD_LOGS_REGISTRY, isApiError, type Pod, type PodLogSource } from '@skiff/core';
import { MOCK_ANNOTATIONS } from '@skiff/sdk';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { HollowNodes, IpAllocator, NODE_LEASE_NAMESPACE, hollowNodes, hollowNodesOf, hollowPodCIDR } from '../src/index.js';

const COUNT = 50;

function pod(name: string, nodeName: string, annotations: Record<string, string> = {}, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', annotations },
    spec: { nodeName, containers: [{ name: 'app', image: 'busybox' }], ...spec },
  };
}

const getPod = (tc: TestCluster, name: string) => tc.client.resource('v1', 'Pod').get(name, { namespace: 'default' });

async function expectRunning(tc: TestCluster, name: string): Promise<Pod> {
  return eventually(async () => {
    const p = await getPod(tc, name);
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    return p;
  }, { timeoutMs: 20_000 });
}

describe('hollow nodes', () => {
  let tc: TestCluster;
  beforeAll(async () => {
    tc = await createTestCluster({
      plugins: [
        mockRuntime(),
        // Pods are never polled: only watch events, container events and probe changes drive them.
        hollowNodes({ count: COUNT, renewIntervalMs: 500, statusIntervalMs: 1_000, syncIntervalMs: 600_000, resyncIntervalMs: 600_000, restartBackoff: { initialMs: 50, maxMs: 400 } }),
      ],
    });
  });
  afterAll(async () => {
    await tc?.stop();
  });

  it('registers every Node Ready, with its own pod range, and keeps renewing every Lease', async () => {
    const nodes = (await tc.client.resource('v1', 'Node').list()).items.filter((n) => n.metadata.name?.startsWith('hollow-node-'));
    expect(nodes).toHaveLength(COUNT);
    expect(new Set(nodes.map((n) => n.spec?.podCIDR)).size).toBe(COUNT);
    const node7 = nodes.find((n) => n.metadata.name === 'hollow-node-7')!;
    expect(node7.spec?.podCIDR).toBe('127.100.7.0/24');
    expect(node7.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'hollow-node-7', 'kubernetes.io/os': 'linux' });
    for (const n of nodes) expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');

    const leases = tc.client.resource('coordination.k8s.io/v1', 'Lease');
    const first = new Map((await leases.list({ namespace: NODE_LEASE_NAMESPACE })).items.map((l) => [l.metadata.name, l.spec?.renewTime]));
    for (let i = 0; i < COUNT; i++) expect(first.get(`hollow-node-${i}`)).toBeTruthy();
    await eventually(async () => {
      const now = (await leases.list({ namespace: NODE_LEASE_NAMESPACE })).items.filter((l) => l.metadata.name?.startsWith('hollow-node-'));
      expect(now).toHaveLength(COUNT);
      for (const l of now) expect(l.spec?.renewTime).not.toBe(first.get(l.metadata.name));
    }, { timeoutMs: 10_000 });
    const stats = hollowNodesOf(tc.cluster)!.heartbeatStats;
    expect(stats.leaseRenewals).toBeGreaterThanOrEqual(COUNT);
    expect(stats.leaseFailures).toBe(0);
  });

  it('runs pods bound to different nodes, each with an address from its node range', async () => {
    const pods = tc.client.resource('v1', 'Pod');
    const targets = [0, 1, 17, 49];
    await Promise.all(targets.flatMap((n) => [pods.create(pod(`p-${n}-a`, `hollow-node-${n}`)), pods.create(pod(`p-${n}-b`, `hollow-node-${n}`))]));
    for (const n of targets) {
      const range = new IpAllocator(hollowPodCIDR(n));
      const a = await expectRunning(tc, `p-${n}-a`);
      const b = await expectRunning(tc, `p-${n}-b`);
      expect(range.contains(a.status!.podIP!)).toBe(true);
      expect(range.contains(b.status!.podIP!)).toBe(true);
      expect(a.status?.podIP).not.toBe(b.status?.podIP);
    }
  });

  it('finishes a graceful deletion', async () => {
    const pods = tc.client.resource('v1', 'Pod');
    await pods.create(pod('doomed', 'hollow-node-3'));
    await expectRunning(tc, 'doomed');
    await pods.delete('doomed', { namespace: 'default' });
    await eventually(async () => {
      const err = await getPod(tc, 'doomed').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isApiError(err) && err.status.code === 404).toBe(true);
    });
  });

  it('restarts a crashed container on the runtime event, without polling', async () => {
    const pods = tc.client.resource('v1', 'Pod');
    await pods.create(pod('crashy', 'hollow-node-5', { [MOCK_ANNOTATIONS.runMs]: '200', [MOCK_ANNOTATIONS.exitCode]: '1' }));
    await eventually(async () => {
      const s = (await getPod(tc, 'crashy')).status?.containerStatuses?.[0];
      expect(s?.restartCount).toBeGreaterThanOrEqual(2);
      expect(s?.lastState?.terminated).toMatchObject({ exitCode: 1 });
    }, { timeoutMs: 15_000 });
  });

  it('shows readiness as soon as the probe passes (probe changes enqueue the pod)', async () => {
    const pods = tc.client.resource('v1', 'Pod');
    await pods.create({
      ...pod('probed', 'hollow-node-9', { [MOCK_ANNOTATIONS.readyAfterMs]: '300' }),
      spec: { nodeName: 'hollow-node-9', containers: [{ name: 'app', image: 'busybox', readinessProbe: { periodSeconds: 1, exec: { command: ['check'] } } }] },
    });
    // One probe "second" is a real second here: readiness turns true at the second attempt (~1 s).
    await expectRunning(tc, 'probed');
  });

  it('serves pod logs through the podLogs registry under each node name', async () => {
    const pods = tc.client.resource('v1', 'Pod');
    await pods.create(pod('talker', 'hollow-node-11', { [MOCK_ANNOTATIONS.logLines]: 'hello\nworld' }));
    await expectRunning(tc, 'talker');
    const source = tc.cluster.registry<PodLogSource>(POD_LOGS_REGISTRY).get('hollow-node-11');
    let text = '';
    for await (const chunk of await source.logs('default', 'talker', {}, new AbortController().signal)) text += chunk;
    expect(text).toBe('hello\nworld\n');
  });
});

describe('hollow nodes restart', () => {
  it('a new HollowNodes adopts the running containers instead of starting new ones', async () => {
    const tc = await createTestCluster({ plugins: [mockRuntime()] });
    try {
      const options = { count: 3, renewIntervalMs: 1_000, statusIntervalMs: 5_000 };
      const first = new HollowNodes(tc.cluster, options);
      await first.start();
      await tc.client.resource('v1', 'Pod').create(pod('kept', 'hollow-node-2'));
      const before = await expectRunning(tc, 'kept');
      await first.stop();
      const second = new HollowNodes(tc.cluster, options);
      await second.start();
      try {
        await tc.client.resource('v1', 'Pod').create(pod('fresh', 'hollow-node-2'));
        const fresh = await expectRunning(tc, 'fresh');
        const after = await getPod(tc, 'kept');
        expect(after.status?.containerStatuses?.[0]?.containerID).toBe(before.status?.containerStatuses?.[0]?.containerID);
        expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(0);
        expect(fresh.status?.podIP).not.toBe(before.status?.podIP);
      } finally {
        await second.stop();
      }
    } finally {
      await tc.stop();
    }
  });

  it('rejects a count outside the address plan with a coded error', async () => {
    expect(() => new HollowNodes({} as never, { count: -1 })).toThrow(expect.objectContaining({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' }));
    await expect(createTestCluster({ plugins: [mockRuntime(), hollowNodes({ count: 1.5 })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
  });
});
