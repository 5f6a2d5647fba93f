import { afterEach, describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from '@skiff/core';
import { NodeAgent, nodeAgentOf } from '@skiff/plugin-kubelet';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { nodeLifecycleController } from '../src/node-lifecycle/index.js';
import { clusterWith, nodes, pod } from './cluster-fixtures-2.js';

let tc: TestCluster;
let extra: NodeAgent | undefined;
afterEach(async () => {
  await extra?.stop();
  extra = undefined;
  await tc?.stop();
});

const TIMEOUT = { timeoutMs: 30_000 };
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const getNode = (name: string) => tc.client.resource('v1', 'Node').get(name);
const getPod = (name: string) => tc.client.resource('v1', 'Pod').get(name, { namespace: 'default' });
const ready = (node: Node) => node.status?.conditions?.find((c) => c.type === 'Ready');

describe('node lifecycle controller', () => {
  it('an unheartbeating node goes Unknown and tainted, its pods are evicted after their toleration, and the taints go when it is back', async () => {
    tc = await clusterWith(...nodes(['n1', 'n2']), nodeLifecycleController({ nodeMonitorGracePeriodMs: 1_000, podEvictionTimeoutMs: 600_000 }));
    const pods = tc.client.resource('v1', 'Pod');
    const shortToleration = [{ key: UNREACHABLE, operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 1 }];
    await pods.create(pod('short', {}, { nodeName: 'n1', tolerations: shortToleration }));
    await pods.create(pod('defaulted', {}, { nodeName: 'n1' })); // 300 s from DefaultTolerationSeconds
    await pods.create(pod('forever', {}, { nodeName: 'n1', tolerations: [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }] }));
    await pods.create(pod('healthy', {}, { nodeName: 'n2', tolerations: shortToleration }));
    await eventually(async () => {
      for (const name of ['short', 'defaulted', 'forever', 'healthy']) expect((await getPod(name)).status?.phase).toBe('Running');
    }, TIMEOUT);

    await nodeAgentOf(tc.cluster, 'n1')!.stop();
    await eventually(async () => {
      const n1 = await getNode('n1');
      expect(ready(n1)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
      expect(n1.status?.conditions?.every((c) => c.status === 'Unknown')).toBe(true);
      expect((n1.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort()).toEqual([`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    }, TIMEOUT);
    await eventually(async () => expect((await getPod('short')).metadata.deletionTimestamp).toBeTruthy(), TIMEOUT);
    await eventually(async () => expect((await getPod('forever')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False'), TIMEOUT);
    expect((await getPod('defaulted')).metadata.deletionTimestamp).toBeUndefined();
    expect((await getPod('forever')).metadata.deletionTimestamp).toBeUndefined();
    expect((await getPod('healthy')).metadata.deletionTimestamp).toBeUndefined();
    const n2 = await getNode('n2');
    expect(ready(n2)?.status).toBe('True');
    expect(n2.spec?.taints ?? []).toEqual([]);
    await eventually(async () => {
      const events = (await tc.client.resource('v1', 'Event').list({ namespace: 'default' })).items as Event[];
      expect(events.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.name === 'n1')).toBe(true);
    }, TIMEOUT);

    // The node's agent comes back: Lease renewed, taints removed.
    extra = new NodeAgent(tc.cluster, { nodeName: 'n1', podCIDR: '127.10.1.0/24', renewIntervalMs: 100, syncIntervalMs: 50, statusIntervalMs: 200 });
    await extra.start();
    await eventually(async () => {
      const n1 = await getNode('n1');
      expect(n1.spec?.taints ?? []).toEqual([]);
      expect(ready(n1)?.status).toBe('True');
    }, TIMEOUT);
  });

  it('pods without a toleration for the taint go after podEvictionTimeoutMs', async () => {
    tc = await clusterWith(...nodes(['n1']), nodeLifecycleController({ nodeMonitorGracePeriodMs: 1_000, podEvictionTimeoutMs: 200 }));
    const pods = tc.client.resource('v1', 'Pod');
    // Tolerations that match neither the unreachable taint (other value) nor leave room for the admission's default.
    const bare: Pod = pod('bare', {}, { nodeName: 'n1', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }, { key: UNREACHABLE, operator: 'Equal', value: 'other', effect: 'NoExecute', tolerationSeconds: 600 }] });
    await pods.create(bare);
    await nodeAgentOf(tc.cluster, 'n1')!.stop();
    await eventually(async () => expect((await getPod('bare')).metadata.deletionTimestamp).toBeTruthy(), TIMEOUT);
  });
});
