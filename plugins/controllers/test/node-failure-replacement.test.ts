import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '@skiff/core';
import { nodeAgentOf } from '@skiff/plugin-kubelet';
import { scheduler } from '@skiff/plugin-scheduler';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { controllerManager } from '../src/index.js';
import { clusterWith, nodes } from './cluster-fixtures-2.js';

let tc: TestCluster;
afterEach(() => tc?.stop());

describe('a node that stops heartbeating', { timeout: 90_000 }, () => {
  it('has its ReplicaSet pods evicted and replaced on the healthy node', async () => {
    const manager = controllerManager({
      leaderElection: { leaderElect: false },
      controllerOptions: { nodelifecycle: { nodeMonitorGracePeriodMs: 1_000, podEvictionTimeoutMs: 1_000 } },
    });
    tc = await clusterWith(...nodes(['n1', 'n2']), scheduler({ leaderElection: { leaderElect: false } }), manager);
    const labels = { app: 'web' };
    // Short unreachable tolerations, as --pod-eviction-timeout would give them.
    const tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 1 }];
    await tc.client.resource('apps/v1', 'ReplicaSet').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 4, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { tolerations, containers: [{ name: 'app', image: 'busybox' }] } } },
    });
    const pods = async () => ((await tc.client.resource('v1', 'Pod').list({ namespace: 'default', labelSelector: 'app=web' })).items as Pod[]);
    await eventually(async () => expect((await tc.client.resource('apps/v1', 'ReplicaSet').get('web', { namespace: 'default' })).status?.readyReplicas).toBe(4), { timeoutMs: 30_000 });
    const onN1 = (await pods()).filter((p) => p.spec?.nodeName === 'n1').map((p) => p.metadata.name);
    expect(onN1.length).toBeGreaterThan(0);

    await nodeAgentOf(tc.cluster, 'n1')!.stop();
    // The scheduler keeps new pods off the tainted node; the ReplicaSet is whole again on n2.
    await eventually(async () => {
      const live = (await pods()).filter((p) => !p.metadata.deletionTimestamp);
      expect(live).toHaveLength(4);
      expect(live.every((p) => p.spec?.nodeName === 'n2' && p.status?.phase === 'Running')).toBe(true);
    }, { timeoutMs: 60_000 });
    const evicted = (await pods()).filter((p) => onN1.includes(p.metadata.name ?? ''));
    expect(evicted.every((p) => p.metadata.deletionTimestamp)).toBe(true);
    await eventually(async () => expect((await tc.client.resource('apps/v1', 'ReplicaSet').get('web', { namespace: 'default' })).status?.readyReplicas).toBe(4), { timeoutMs: 30_000 });
  });
});
