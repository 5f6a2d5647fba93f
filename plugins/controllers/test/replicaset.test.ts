import type { Pod, ReplicaSet } from '@skiff/core';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replicaSetController } from '../src/index.js';
import { clusterWith, live, podsOf, replicaSet } from './fixtures.js';

const long = { timeoutMs: 30_000 };

describe('ReplicaSet controller', () => {
  let t: TestCluster;
  beforeEach(async () => {
    t = await clusterWith([replicaSetController()]);
  });
  afterEach(async () => {
    await t.stop();
  });

  const rsClient = () => t.client.resource('apps/v1', 'ReplicaSet');
  const getRs = () => rsClient().get('web', { namespace: 'default' });

  it('creates replicas pods owned by it, reports status, and replaces a deleted pod', async () => {
    const rs = await rsClient().create(replicaSet('web', 3));
    await eventually(async () => expect((await getRs()).status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 }), long);
    const pods = await podsOf(t, 'web');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.spec?.nodeName).toMatch(/^node-/);
    }
    const victim = pods[0]!.metadata.name!;
    await t.client.resource('v1', 'Pod').delete(victim, { namespace: 'default' });
    await eventually(async () => {
      const now = live(await podsOf(t, 'web'));
      expect(now).toHaveLength(3);
      expect(now.map((p) => p.metadata.name)).not.toContain(victim);
      expect((await getRs()).status).toMatchObject({ replicas: 3, readyReplicas: 3 });
    }, long);
    const events = (await t.client.resource('v1', 'Event').list({ namespace: 'default', fieldSelector: 'involvedObject.name=web' })).items;
    expect(events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(4);
    expect(events[0]?.source?.component).toBe('replicaset-controller');
  });
});
