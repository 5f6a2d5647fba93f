import type { Pod, ReplicationController } from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ControllerManager, podsToDelete, replicaSetController, replicationControllerController } from '../src/index.js';
import { clusterWith, laggingTransport, live, podsOf, podSpec, replicaSet, retryOnConflict } from './fixtures.js';

const long = { timeoutMs: 30_000 };

const pod = (name: string, extra: { nodeName?: string; phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'; ready?: boolean; created?: string } = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', creationTimestamp: extra.created ?? '2026-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'app', image: 'x' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  status: { ...(extra.phase ? { phase: extra.phase } : {}), conditions: [{ type: 'Ready', status: extra.ready ? 'True' : 'False' }] },
});

describe('which pods a scale-down deletes (ActivePods order)', () => {
  it('prefers unscheduled, then pending, then not ready, then pods doubled up on a node, then newest', () => {
    const pods = [
      pod('ready-old', { nodeName: 'n1', phase: 'Running', ready: true, created: '2026-01-01T00:00:00Z' }),
      pod('ready-new', { nodeName: 'n2', phase: 'Running', ready: true, created: '2026-01-02T00:00:00Z' }),
      pod('not-ready', { nodeName: 'n3', phase: 'Running', ready: false }),
      pod('pending', { nodeName: 'n4', phase: 'Pending' }),
      pod('unscheduled', {}),
    ];
    expect(podsToDelete(pods, pods, 4).map((p) => p.metadata.name)).toEqual(['unscheduled', 'pending', 'not-ready', 'ready-new']);
    const doubled = [...pods.slice(0, 2), pod('ready-n1-too', { nodeName: 'n1', phase: 'Running', ready: true, created: '2026-01-01T00:00:00Z' })];
    expect(podsToDelete(doubled, doubled, 1).map((p) => p.metadata.name)[0]).toMatch(/^ready-(old|n1-too)$/);
  });
});

describe('ReplicaSet controller through the API', () => {
  let t: TestCluster | undefined;
  let manager: ControllerManager | undefined;
  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
    await t?.stop();
    t = undefined;
  });

  const rsClient = () => t!.client.resource('apps/v1', 'ReplicaSet');
  const getRs = (name = 'web') => rsClient().get(name, { namespace: 'default' });
  const podClient = () => t!.client.resource('v1', 'Pod');

  it('scales up and down; a scale-down deletes the unscheduled pod first', async () => {
    t = await clusterWith([replicaSetController()]);
    await rsClient().create(replicaSet('web', 2));
    await eventually(async () => expect((await getRs()).status).toMatchObject({ replicas: 2, readyReplicas: 2 }), long);
    await retryOnConflict(() => rsClient().patch('web', { spec: { replicas: 5 } }, { namespace: 'default' }));
    await eventually(async () => expect((await getRs()).status).toMatchObject({ replicas: 5, readyReplicas: 5, observedGeneration: 2 }), long);
    // An orphan that matches and can never be scheduled: adopted, making 6, so it is the surplus deleted.
    await podClient().create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stuck', namespace: 'default', labels: { app: 'web' } },
      spec: { ...podSpec(), containers: [{ name: 'app', image: 'busybox:1.36', resources: { requests: { cpu: '1000' } } }] },
    });
    await eventually(async () => {
      const pods = live(await podsOf(t!, 'web'));
      expect(pods).toHaveLength(5);
      expect(pods.map((p) => p.metadata.name)).not.toContain('stuck');
      const deleted = (await t!.client.resource('v1', 'Event').list({ namespace: 'default', fieldSelector: 'involvedObject.name=web,reason=SuccessfulDelete' })).items;
      expect(deleted.map((e) => e.message)).toEqual(['Deleted pod: stuck']);
    }, long);
    await retryOnConflict(() => rsClient().patch('web', { spec: { replicas: 1 } }, { namespace: 'default' }));
    await eventually(async () => {
      expect(live(await podsOf(t!, 'web'))).toHaveLength(1);
      expect((await getRs()).status).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1 });
    }, long);
    const events = (await t.client.resource('v1', 'Event').list({ namespace: 'default', fieldSelector: 'involvedObject.name=web,reason=SuccessfulDelete' })).items;
    expect(events.reduce((n, e) => n + (e.count ?? 1), 0)).toBe(5); // stuck, then 4 on the scale-down
  });

  it('adopts a matching orphan, and releases a pod whose labels stop matching and replaces it', async () => {
    t = await clusterWith([replicaSetController()]);
    await podClient().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } }, spec: podSpec() });
    const rs = await rsClient().create(replicaSet('web', 2));
    await eventually(async () => expect((await getRs()).status?.readyReplicas).toBe(2), long);
    const orphan = await podClient().get('orphan', { namespace: 'default' });
    expect(orphan.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(live(await podsOf(t, 'web'))).toHaveLength(2);
    const first = orphan;
    await retryOnConflict(() => podClient().patch(first!.metadata.name!, { metadata: { labels: { app: 'elsewhere' } } }, { namespace: 'default' }));
    await eventually(async () => {
      const released = await podClient().get(first!.metadata.name!, { namespace: 'default' });
      expect(released.metadata.ownerReferences ?? []).toEqual([]);
      expect(live(await podsOf(t!, 'web'))).toHaveLength(2);
      expect((await getRs()).status?.readyReplicas).toBe(2);
    }, long);
  });

  it('fullyLabeledReplicas counts pods with every template label; minReadySeconds delays availability', async () => {
    t = await clusterWith([replicaSetController()]);
    await rsClient().create(replicaSet('web', 2, { minReadySeconds: 1, labels: { tier: 'front' } }));
    await eventually(async () => expect((await getRs()).status).toMatchObject({ replicas: 2, readyReplicas: 2, fullyLabeledReplicas: 2 }), long);
    await eventually(async () => expect((await getRs()).status?.availableReplicas).toBe(2), long);
    const [first] = await podsOf(t, 'web');
    // Still selected (app=web) but missing tier=front.
    await retryOnConflict(() => podClient().patch(first!.metadata.name!, { metadata: { labels: { tier: null } } }, { namespace: 'default' }));
    await eventually(async () => expect((await getRs()).status).toMatchObject({ replicas: 2, fullyLabeledReplicas: 1 }), long);
  });

  it('never creates more than needed while its pod cache lags behind (expectations)', async () => {
    t = await clusterWith([]);
    let creates = 0;
    const inner = inProcessTransport(t.cluster);
    const counting = { ...inner, create: (res: Parameters<typeof inner.create>[0], ns: string | undefined, body: Parameters<typeof inner.create>[2], options: Parameters<typeof inner.create>[3]) => {
      if (res.kind === 'Pod') creates++;
      return inner.create(res, ns, body, options);
    } };
    manager = new ControllerManager({ client: new Client(laggingTransport(counting, 'Pod', 400)), controllers: [replicaSetController()], leaderElection: { leaderElect: false } });
    await manager.start();
    await rsClient().create(replicaSet('web', 5));
    // Poke the ReplicaSet repeatedly while the cache has not seen its pods: each poke is a sync.
    for (let i = 0; i < 5; i++) await retryOnConflict(() => rsClient().patch('web', { metadata: { annotations: { poke: String(i) } } }, { namespace: 'default' }));
    await eventually(async () => expect((await getRs()).status).toMatchObject({ replicas: 5, readyReplicas: 5 }), long);
    expect(creates).toBe(5);
    expect(live(await podsOf(t, 'web'))).toHaveLength(5);
  });

  it('ReplicationController: equality selector, same behaviour', async () => {
    t = await clusterWith([replicationControllerController()]);
    const rc: ReplicationController = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: podSpec() } },
    };
    const rcs = t.client.resource('v1', 'ReplicationController');
    await rcs.create(rc);
    await eventually(async () => expect((await rcs.get('legacy', { namespace: 'default' })).status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 }), long);
    const pods = await podsOf(t, 'legacy');
    expect(pods.every((p) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicationController')).toBe(true);
    const events = (await t.client.resource('v1', 'Event').list({ namespace: 'default', fieldSelector: 'involvedObject.name=legacy' })).items;
    expect(events[0]?.source?.component).toBe('replication-controller');
  });
});
