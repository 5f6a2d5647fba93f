import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonSet, Pod } from '@skiff/core';
import { NodeAgent, nodeAgentOf } from '@skiff/plugin-kubelet';
import { scheduler } from '@skiff/plugin-scheduler';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { daemonSetController } from '../src/daemonset/index.js';
import { clusterWith, FAST_SCHEDULER, nodes } from './cluster-fixtures-2.js';

let tc: TestCluster;
let extra: NodeAgent | undefined;
afterEach(async () => {
  await extra?.stop();
  extra = undefined;
  await tc?.stop();
});

const TIMEOUT = { timeoutMs: 30_000 };

function daemonSet(name: string, spec: Partial<NonNullable<DaemonSet['spec']>> = {}, podSpec: object = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36' }], ...podSpec } },
      ...spec,
    },
  } as DaemonSet;
}

/** The DaemonSet's live pods, as `node=phase` sorted. */
async function podsOf(name: string): Promise<Pod[]> {
  const list = await tc.client.resource('v1', 'Pod').list({ namespace: 'default', labelSelector: `app=${name}` });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}
const runningOn = async (name: string) =>
  (await podsOf(name))
    .filter((p) => p.status?.phase === 'Running')
    .map((p) => p.spec?.nodeName)
    .sort();

describe('DaemonSet controller', () => {
  it('runs one pod per node, follows nodes joining and leaving, and reports status', async () => {
    tc = await clusterWith(...nodes(['n1', 'n2']), scheduler(FAST_SCHEDULER), daemonSetController());
    await tc.client.resource('apps/v1', 'DaemonSet').create(daemonSet('logs'));
    await eventually(async () => expect(await runningOn('logs')).toEqual(['n1', 'n2']), TIMEOUT);
    const pods = await podsOf('logs');
    const affinity = pods[0]!.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    expect(affinity).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [pods[0]!.spec?.nodeName] }] }]);
    expect(pods[0]!.spec?.tolerations?.map((t) => t.key)).toEqual(expect.arrayContaining(['node.kubernetes.io/unreachable', 'node.kubernetes.io/unschedulable']));
    expect(pods[0]!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'logs', controller: true });
    await eventually(async () => {
      const ds = await tc.client.resource('apps/v1', 'DaemonSet').get('logs', { namespace: 'default' });
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, numberMisscheduled: 0, observedGeneration: 1 });
    }, TIMEOUT);

    // A node joins.
    extra = new NodeAgent(tc.cluster, { nodeName: 'n3', podCIDR: '127.10.3.0/24', renewIntervalMs: 100, syncIntervalMs: 50 });
    await extra.start();
    await eventually(async () => expect(await runningOn('logs')).toEqual(['n1', 'n2', 'n3']), TIMEOUT);

    // A node leaves.
    await extra.stop();
    extra = undefined;
    await tc.client.resource('v1', 'Node').delete('n3');
    await eventually(async () => {
      expect((await podsOf('logs')).map((p) => p.spec?.nodeName).sort()).toEqual(['n1', 'n2']);
      const ds = await tc.client.resource('apps/v1', 'DaemonSet').get('logs', { namespace: 'default' });
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2 });
    }, TIMEOUT);
    expect(nodeAgentOf(tc.cluster, 'n1')).toBeDefined();
  });

  it('honours node selectors and taints, and rolls out a new template', async () => {
    tc = await clusterWith(...nodes(['n1', 'n2', 'n3']), scheduler(FAST_SCHEDULER), daemonSetController());
    const nodesApi = tc.client.resource('v1', 'Node');
    await eventually(async () => expect((await nodesApi.list()).items).toHaveLength(3), TIMEOUT);
    for (const name of ['n1', 'n2', 'n3']) await nodesApi.patch(name, { metadata: { labels: { role: 'worker' } } });
    await nodesApi.patch('n3', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
    const dss = tc.client.resource('apps/v1', 'DaemonSet');
    await dss.create(daemonSet('mon', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }, { nodeSelector: { role: 'worker' } }));
    await eventually(async () => expect(await runningOn('mon')).toEqual(['n1', 'n2']), TIMEOUT);

    // n2 stops matching.
    await nodesApi.patch('n2', { metadata: { labels: { role: null } } });
    await eventually(async () => expect((await podsOf('mon')).map((p) => p.spec?.nodeName)).toEqual(['n1']), TIMEOUT);
    await nodesApi.patch('n2', { metadata: { labels: { role: 'worker' } } });
    await eventually(async () => expect(await runningOn('mon')).toEqual(['n1', 'n2']), TIMEOUT);

    // A new template replaces every pod, never leaving more than maxUnavailable (1) node without an available pod.
    const before = new Set((await podsOf('mon')).map((p) => p.metadata.name));
    const seen = new Map<string, Pod>();
    let worst = 0;
    const watch = await tc.client.resource('v1', 'Pod').watch({ namespace: 'default', labelSelector: 'app=mon' });
    const watching = (async () => {
      for await (const event of watch) {
        if (event.type === 'DELETED') seen.delete(event.object.metadata.uid!);
        else if (event.type !== 'BOOKMARK') seen.set(event.object.metadata.uid!, event.object);
        const available = new Set(
          [...seen.values()]
            .filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
            .map((p) => p.spec?.nodeName),
        );
        worst = Math.max(worst, ['n1', 'n2'].filter((n) => !available.has(n)).length);
      }
    })();
    const ds = await dss.get('mon', { namespace: 'default' });
    ds.spec!.template.metadata!.annotations = { version: '2' };
    await dss.update(ds);
    await eventually(async () => {
      const pods = await podsOf('mon');
      expect(pods.filter((p) => p.status?.phase === 'Running').map((p) => p.spec?.nodeName).sort()).toEqual(['n1', 'n2']);
      expect(pods.some((p) => before.has(p.metadata.name))).toBe(false);
      const status = (await dss.get('mon', { namespace: 'default' })).status;
      expect(status).toMatchObject({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2, observedGeneration: 2 });
    }, TIMEOUT);
    watch.stop();
    await watching;
    expect(worst).toBe(1);
  });
  it('OnDelete replaces old-template pods only when they are deleted', async () => {
    tc = await clusterWith(...nodes(['n1']), scheduler(FAST_SCHEDULER), daemonSetController());
    const dss = tc.client.resource('apps/v1', 'DaemonSet');
    await dss.create(daemonSet('od', { updateStrategy: { type: 'OnDelete' } }));
    await eventually(async () => expect(await runningOn('od')).toEqual(['n1']), TIMEOUT);
    const [first] = await podsOf('od');
    const ds = await dss.get('od', { namespace: 'default' });
    ds.spec!.template.metadata!.annotations = { version: '2' };
    await dss.update(ds);
    await eventually(async () => expect((await dss.get('od', { namespace: 'default' })).status).toMatchObject({ observedGeneration: 2, updatedNumberScheduled: 0 }), TIMEOUT);
    expect((await podsOf('od')).map((p) => p.metadata.name)).toEqual([first!.metadata.name]);
    await tc.client.resource('v1', 'Pod').delete(first!.metadata.name!, { namespace: 'default' });
    await eventually(async () => {
      const pods = (await podsOf('od')).filter((p) => p.status?.phase === 'Running');
      expect(pods.map((p) => p.metadata.name)).not.toContain(first!.metadata.name);
      expect(pods).toHaveLength(1);
      expect((await dss.get('od', { namespace: 'default' })).status).toMatchObject({ updatedNumberScheduled: 1, numberAvailable: 1 });
    }, TIMEOUT);
  });
});
