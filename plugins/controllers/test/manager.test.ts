import type { Event, Lease } from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROLLER_MANAGER_LEASE, ControllerManager, controllerManager, controllerManagerOf, deploymentController, replicaSetController, selectControllers } from '../src/index.js';
import { clusterWith, deployment, live, nodesAndScheduler, podsOf, replicaSet, retryOnConflict, rolledOut } from './fixtures.js';

const long = { timeoutMs: 30_000 };
// Short enough for a quick takeover, long enough that a loaded machine never misses a renewal.
const fast = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 200 };

describe('controller manager', () => {
  let t: TestCluster | undefined;
  const managers: ControllerManager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.stop()));
    await t?.stop();
    t = undefined;
  });

  const newManager = (cluster: TestCluster, identity: string) => {
    const m = new ControllerManager({
      client: new Client(inProcessTransport(cluster.cluster)),
      controllers: [replicaSetController(), deploymentController()],
      leaderElection: { identity, ...fast },
    });
    managers.push(m);
    return m;
  };

  const createdBy = async (cluster: TestCluster) => {
    const events = (await cluster.client.resource('v1', 'Event').list({ namespace: 'default', fieldSelector: 'reason=SuccessfulCreate' })).items as Event[];
    return new Set(events.map((e) => e.source?.host));
  };

  it('of two managers only the Lease holder runs controllers; when it stops, the other takes over', async () => {
    t = await clusterWith([]);
    const a = newManager(t, 'manager-a');
    const b = newManager(t, 'manager-b');
    await a.start();
    await b.start();
    await eventually(() => expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1), long);
    const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
    await eventually(() => expect(leader.runningControllers().sort()).toEqual(['Deployment', 'ReplicaSet']), long);
    expect(follower.runningControllers()).toEqual([]);
    const lease = await t.client.resource('coordination.k8s.io/v1', 'Lease').get(CONTROLLER_MANAGER_LEASE, { namespace: 'kube-system' });
    expect(lease.spec?.holderIdentity).toBe(leader.identity);

    const rss = t.client.resource('apps/v1', 'ReplicaSet');
    await rss.create(replicaSet('web', 2));
    await eventually(async () => expect((await rss.get('web', { namespace: 'default' })).status?.readyReplicas).toBe(2), long);
    expect(await createdBy(t)).toEqual(new Set([leader.identity]));

    await leader.stop();
    await eventually(() => expect(follower.isLeader()).toBe(true), long);
    await eventually(() => expect(follower.runningControllers()).toHaveLength(2), long);
    await retryOnConflict(() => rss.patch('web', { spec: { replicas: 4 } }, { namespace: 'default' }));
    await eventually(async () => expect((await rss.get('web', { namespace: 'default' })).status?.readyReplicas).toBe(4), long);
    expect(await createdBy(t)).toEqual(new Set([leader.identity, follower.identity]));
  });

  it('a leader that loses its Lease stops its controllers', async () => {
    t = await clusterWith([]);
    const a = newManager(t, 'manager-a');
    await a.start();
    await eventually(() => expect(a.runningControllers()).toHaveLength(2), long);
    // Another candidate takes the Lease (as if this manager had been partitioned away).
    const leases = t.client.resource('coordination.k8s.io/v1', 'Lease');
    await retryOnConflict(async () => {
      const lease = await leases.get(CONTROLLER_MANAGER_LEASE, { namespace: 'kube-system' });
      await leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', leaseDurationSeconds: 3600 } } as Lease);
    });
    await eventually(() => {
      expect(a.isLeader()).toBe(false);
      expect(a.runningControllers()).toEqual([]);
    }, long);
    // Nothing acts now: a new ReplicaSet gets no pods while the intruder holds the Lease.
    await t.client.resource('apps/v1', 'ReplicaSet').create(replicaSet('idle', 1));
    await a.settled();
    expect(await podsOf(t, 'idle')).toHaveLength(0);
  });

  it('the plugin runs every controller by default and validates controller names', async () => {
    t = await createTestCluster({ plugins: [nodesAndScheduler(2), controllerManager({ leaderElection: fast })] });
    const manager = controllerManagerOf(t.cluster)!;
    await eventually(() => expect(manager.isLeader()).toBe(true), long);
    await t.client.resource('apps/v1', 'ReplicaSet').create(replicaSet('web', 2));
    await eventually(async () => expect(live(await podsOf(t!, 'web'))).toHaveLength(2), long);

    expect(manager.runningControllers()).toEqual(expect.arrayContaining(['ReplicaSet', 'Deployment', 'DaemonSet', 'Job', 'Endpoints', 'NodeLifecycle', 'controller:GarbageCollector', 'controller:Namespace']));

    // Plugin-shaped controllers run under the manager too: deleting a Deployment lets the garbage
    // collector remove its ReplicaSet and their pods.
    const deployments = t.client.resource('apps/v1', 'Deployment');
    await deployments.create(deployment('gone', 2));
    await eventually(async () => expect(rolledOut(await deployments.get('gone', { namespace: 'default' }))).toBe(true), long);
    await deployments.delete('gone', { namespace: 'default' });
    await eventually(async () => {
      expect((await t!.client.resource('apps/v1', 'ReplicaSet').list({ namespace: 'default', labelSelector: 'app=gone' })).items).toHaveLength(0);
      expect(live(await podsOf(t!, 'gone'))).toHaveLength(0);
    }, long);

    expect(selectControllers({ controllers: { disabled: ['deployment'] } }).map((e) => e.name)).not.toContain('deployment');
    expect(selectControllers({ controllers: { enabled: ['replicaset'] } }).map((e) => e.name)).toEqual(['replicaset']);
    await expect(createTestCluster({ plugins: [controllerManager({ controllers: { enabled: ['nope'] } })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
    await expect(createTestCluster({ plugins: [controllerManager({ controllerOptions: { garbagecollector: { workers: 0 } } })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
  });
});
