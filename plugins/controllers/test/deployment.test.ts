import type { ReplicaSet } from '@skiff/core';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deploymentController, podTemplateHash, replicaSetController } from '../src/index.js';
import { clusterWith, deployment, isAvailable, podSpec, retryOnConflict, rolledOut, watchPods } from './fixtures.js';

const long = { timeoutMs: 45_000 };
const REVISION = 'deployment.kubernetes.io/revision';

describe('Deployment controller', () => {
  let t: TestCluster;
  beforeEach(async () => {
    t = await clusterWith([replicaSetController(), deploymentController()], 3);
  });
  afterEach(async () => {
    await t.stop();
  });

  const deployments = () => t.client.resource('apps/v1', 'Deployment');
  const getD = (name = 'web') => deployments().get(name, { namespace: 'default' });
  const replicaSets = async (app = 'web') => (await t.client.resource('apps/v1', 'ReplicaSet').list({ namespace: 'default', labelSelector: `app=${app}` })).items;
  const waitRolledOut = (name = 'web') => eventually(async () => expect(rolledOut(await getD(name))).toBe(true), long);
  const setImage = (image: string, name = 'web') => retryOnConflict(() => deployments().patch(name, { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, { namespace: 'default', type: 'application/strategic-merge-patch+json' }));

  it('creates a ReplicaSet named by the template hash, with revision 1, and reports status and conditions', async () => {
    await deployments().create(deployment('web', 3));
    await waitRolledOut();
    const d = await getD();
    const [rs, ...more] = await replicaSets();
    expect(more).toHaveLength(0);
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.spec?.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata.annotations).toMatchObject({ [REVISION]: '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(d.metadata.annotations?.[REVISION]).toBe('1');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    const conditions = Object.fromEntries((d.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason]]));
    expect(conditions).toEqual({ Available: ['True', 'MinimumReplicasAvailable'], Progressing: ['True', 'NewReplicaSetAvailable'] });
    const events = (await t.client.resource('v1', 'Event').list({ namespace: 'default', fieldSelector: 'involvedObject.kind=Deployment' })).items;
    expect(events.map((e) => e.message)).toContain(`Scaled up replica set web-${hash} from 0 to 3`);
  });

  it('rolls out a new template without ever going below replicas - maxUnavailable available or above replicas + maxSurge pods', async () => {
    await deployments().create(deployment('web', 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await waitRolledOut();
    let minAvailable = Infinity;
    let maxPods = 0;
    let observations = 0;
    const watch = await watchPods(t, (pods) => {
      const live = [...pods.values()].filter((p) => p.metadata.labels?.['app'] === 'web' && !p.metadata.deletionTimestamp);
      minAvailable = Math.min(minAvailable, live.filter(isAvailable).length);
      maxPods = Math.max(maxPods, live.length);
      observations++;
    });
    try {
      await setImage('busybox:1.37');
      await eventually(async () => {
        const d = await getD();
        expect(d.metadata.generation).toBe(2);
        expect(rolledOut(d)).toBe(true);
        expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4 });
      }, long);
    } finally {
      watch.stop();
      await watch.done;
    }
    expect(observations).toBeGreaterThan(8);
    expect(minAvailable).toBeGreaterThanOrEqual(3);
    expect(maxPods).toBeLessThanOrEqual(5);
    const rss = await replicaSets();
    expect(rss).toHaveLength(2);
    const byRevision = Object.fromEntries(rss.map((rs) => [rs.metadata.annotations?.[REVISION], rs.spec?.replicas]));
    expect(byRevision).toEqual({ '1': 0, '2': 4 });
    const pods = (await t.client.resource('v1', 'Pod').list({ namespace: 'default', labelSelector: 'app=web' })).items.filter((p) => !p.metadata.deletionTimestamp);
    expect(pods.every((p) => p.spec?.containers[0]?.image === 'busybox:1.37')).toBe(true);
  });

  it('handles percentages: 25% surge rounds up and 25% unavailable rounds down', async () => {
    // 3 replicas: maxSurge ceil(0.75) = 1, maxUnavailable floor(0.75) = 0 → never below 3 available, never above 4 pods.
    await deployments().create(deployment('pct', 3));
    await waitRolledOut('pct');
    let minAvailable = Infinity;
    let maxPods = 0;
    const watch = await watchPods(t, (pods) => {
      const live = [...pods.values()].filter((p) => p.metadata.labels?.['app'] === 'pct' && !p.metadata.deletionTimestamp);
      minAvailable = Math.min(minAvailable, live.filter(isAvailable).length);
      maxPods = Math.max(maxPods, live.length);
    });
    try {
      await setImage('busybox:1.37', 'pct');
      await eventually(async () => {
        const d = await getD('pct');
        expect(d.metadata.generation).toBe(2);
        expect(rolledOut(d)).toBe(true);
      }, long);
    } finally {
      watch.stop();
      await watch.done;
    }
    expect(minAvailable).toBeGreaterThanOrEqual(3);
    expect(maxPods).toBeLessThanOrEqual(4);
  });

  it('Recreate: every old pod is gone before a new one is created', async () => {
    await deployments().create(deployment('web', 3, { strategy: { type: 'Recreate' } }));
    await waitRolledOut();
    const oldHash = (await replicaSets())[0]!.metadata.labels!['pod-template-hash'];
    let overlap = false;
    const watch = await watchPods(t, (pods) => {
      const all = [...pods.values()].filter((p) => p.metadata.labels?.['app'] === 'web');
      const hashes = new Set(all.map((p) => p.metadata.labels?.['pod-template-hash']));
      if (hashes.has(oldHash) && hashes.size > 1) overlap = true;
    });
    try {
      await setImage('busybox:1.37');
      await eventually(async () => {
        const d = await getD();
        expect(d.metadata.generation).toBe(2);
        expect(rolledOut(d)).toBe(true);
        expect(d.status?.updatedReplicas).toBe(3);
      }, long);
    } finally {
      watch.stop();
      await watch.done;
    }
    expect(overlap).toBe(false);
  });

  it('rolls back the way kubectl rollout undo does: the old ReplicaSet is reused with a new revision', async () => {
    await deployments().create(deployment('web', 2));
    await waitRolledOut();
    await setImage('busybox:1.37');
    await eventually(async () => {
      const d = await getD();
      expect(d.metadata.annotations?.[REVISION]).toBe('2');
      expect(rolledOut(d)).toBe(true);
    }, long);
    // kubectl rollout undo: the template of the ReplicaSet with the previous revision, without the hash label.
    const previous = (await replicaSets()).find((rs) => rs.metadata.annotations?.[REVISION] === '1')!;
    const template = structuredClone(previous.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    await retryOnConflict(() => deployments().patch('web', [{ op: 'replace', path: '/spec/template', value: template }], { namespace: 'default', type: 'application/json-patch+json' }));
    await eventually(async () => {
      const d = await getD();
      expect(d.metadata.generation).toBe(3);
      expect(rolledOut(d)).toBe(true);
      expect(d.metadata.annotations?.[REVISION]).toBe('3');
    }, long);
    const rss = await replicaSets();
    expect(rss).toHaveLength(2);
    const reused = rss.find((rs) => rs.metadata.uid === previous.metadata.uid)!;
    expect(reused.metadata.annotations).toMatchObject({ [REVISION]: '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(reused.spec?.replicas).toBe(2);
  });

  it('prunes old ReplicaSets beyond revisionHistoryLimit', async () => {
    await deployments().create(deployment('web', 1, { revisionHistoryLimit: 1 }));
    for (const [i, image] of ['busybox:1.37', 'busybox:1.38', 'busybox:1.39'].entries()) {
      await waitRolledOut();
      await setImage(image);
      await eventually(async () => expect((await getD()).metadata.annotations?.[REVISION]).toBe(String(i + 2)), long);
    }
    await waitRolledOut();
    await eventually(async () => {
      const revisions = (await replicaSets()).map((rs) => rs.metadata.annotations?.[REVISION]).sort();
      expect(revisions).toEqual(['3', '4']);
    }, long);
  });

  it('a paused Deployment does not roll out but still scales; resuming rolls out', async () => {
    await deployments().create(deployment('web', 2));
    await waitRolledOut();
    await retryOnConflict(() => deployments().patch('web', { spec: { paused: true } }, { namespace: 'default' }));
    await setImage('busybox:1.37');
    await retryOnConflict(() => deployments().patch('web', { spec: { replicas: 3 } }, { namespace: 'default' }));
    await eventually(async () => {
      const d = await getD();
      expect(d.status?.observedGeneration).toBe(d.metadata.generation);
      expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('DeploymentPaused');
      expect(d.status?.availableReplicas).toBe(3);
    }, long);
    let rss: ReplicaSet[] = await replicaSets();
    expect(rss).toHaveLength(1);
    expect(rss[0]!.spec?.replicas).toBe(3);
    expect(rss[0]!.spec?.template?.spec?.containers[0]?.image).toBe('busybox:1.36');

    await retryOnConflict(() => deployments().patch('web', { spec: { paused: false } }, { namespace: 'default' }));
    await eventually(async () => {
      const d = await getD();
      expect(rolledOut(d)).toBe(true);
      expect(d.status?.updatedReplicas).toBe(3);
    }, long);
    rss = await replicaSets();
    expect(rss).toHaveLength(2);
    const active = rss.find((rs) => (rs.spec?.replicas ?? 0) > 0)!;
    expect(active.spec?.template?.spec?.containers[0]?.image).toBe('busybox:1.37');
  });

  it('scaling in the middle of a rollout spreads the change over the active ReplicaSets in proportion', async () => {
    await deployments().create(deployment('web', 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await waitRolledOut();
    // A template no node fits: the rollout stops at old 4 + new 1 (surge 1, none may be unavailable).
    await retryOnConflict(() => deployments().patch('web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'busybox:1.36', resources: { requests: { cpu: '1000' } } }] } } } }, { namespace: 'default', type: 'application/strategic-merge-patch+json' }));
    const sizes = async () => Object.fromEntries((await replicaSets()).map((rs) => [rs.metadata.annotations?.[REVISION], rs.spec?.replicas]));
    await eventually(async () => expect(await sizes()).toEqual({ '1': 4, '2': 1 }), long);
    await retryOnConflict(() => deployments().patch('web', { spec: { replicas: 8 } }, { namespace: 'default' }));
    // 9 allowed (8 + surge 1), 5 there: +4 split by size against the ReplicaSets' max-replicas (5): old +3, new +1.
    await eventually(async () => expect(await sizes()).toEqual({ '1': 7, '2': 2 }), long);
    await eventually(async () => expect((await getD()).status).toMatchObject({ replicas: 9, updatedReplicas: 2, availableReplicas: 7 }), long);
  });

  it('a ReplicaSet name taken by another template raises collisionCount and the next hash is used', async () => {
    // Paused: the Deployment exists (defaulted by the API) but has no ReplicaSet yet.
    const stored = await deployments().create(deployment('web', 1, { paused: true }));
    const hash = podTemplateHash(stored);
    await t.client.resource('apps/v1', 'ReplicaSet').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, namespace: 'default' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'squatter' } }, template: { metadata: { labels: { app: 'squatter' } }, spec: podSpec() } },
    });
    await retryOnConflict(() => deployments().patch('web', { spec: { paused: false } }, { namespace: 'default' }));
    await waitRolledOut();
    const d = await getD();
    expect(d.status?.collisionCount).toBe(1);
    const [rs, ...more] = await replicaSets();
    expect(more).toHaveLength(0);
    expect(rs!.metadata.name).toBe(`web-${podTemplateHash({ ...stored, status: { collisionCount: 1 } })}`);
  });

  it('marks a rollout that cannot progress ProgressDeadlineExceeded', async () => {
    // No node fits 100 CPUs: the new pods stay Pending.
    await deployments().create(deployment('web', 1, { progressDeadlineSeconds: 1 }));
    await waitRolledOut();
    await retryOnConflict(() => deployments().patch('web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'busybox:1.36', resources: { requests: { cpu: '100' } } }] } } } }, { namespace: 'default', type: 'application/strategic-merge-patch+json' }));
    await eventually(async () => {
      const cond = (await getD()).status?.conditions?.find((c) => c.type === 'Progressing');
      expect([cond?.status, cond?.reason]).toEqual(['False', 'ProgressDeadlineExceeded']);
    }, long);
  });
});
