import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { scheduler } from '../src/index.js';
import { FAST, createNode, createPod, eventsFor, podsByName } from './fixtures.js';

describe('scheduler: node selectors, affinity and taints', () => {
  it('places each pod only where its selector, affinity and tolerations allow', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    await createNode(t.client, 'a', { labels: { zone: 'a' } });
    await createNode(t.client, 'b', { labels: { zone: 'b' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    await createNode(t.client, 'c', { labels: { zone: 'c' }, unschedulable: true });
    await createNode(t.client, 'd', { labels: { size: '10' } });

    const req = (key: string, operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt', values?: string[]) => ({ key, operator, ...(values ? { values } : {}) });
    const affinity = (...matchExpressions: ReturnType<typeof req>[]) => ({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } },
    });
    const gpu = [{ key: 'dedicated', operator: 'Equal' as const, value: 'gpu', effect: 'NoSchedule' as const }];

    await createPod(t.client, 'selector-a', { nodeSelector: { zone: 'a' } });
    await createPod(t.client, 'in-b-c-untolerated', { affinity: affinity(req('zone', 'In', ['b', 'c'])) });
    await createPod(t.client, 'in-b-c-tolerated', { affinity: affinity(req('zone', 'In', ['b', 'c'])), tolerations: gpu });
    await createPod(t.client, 'notin-gt', { affinity: affinity(req('zone', 'NotIn', ['a', 'b', 'c']), req('size', 'Gt', ['5'])) });
    await createPod(t.client, 'doesnotexist-lt', { affinity: affinity(req('zone', 'DoesNotExist'), req('size', 'Lt', ['20'])) });
    await createPod(t.client, 'exists-zone', { affinity: affinity(req('zone', 'Exists')) });
    await createPod(t.client, 'gt-too-big', { affinity: affinity(req('size', 'Gt', ['10'])) });
    await createPod(t.client, 'tolerates-cordon', {
      nodeSelector: { zone: 'c' },
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
    });

    await eventually(async () => {
      const pods = await podsByName(t.client);
      const where = (name: string) => pods.get(name)?.spec?.nodeName;
      expect(where('selector-a')).toBe('a');
      expect(where('in-b-c-tolerated')).toBe('b');
      expect(where('notin-gt')).toBe('d');
      expect(where('doesnotexist-lt')).toBe('d');
      expect(where('exists-zone')).toBe('a'); // b is tainted, c cordoned, d has no zone
      expect(where('tolerates-cordon')).toBe('c');
      expect(where('in-b-c-untolerated')).toBeUndefined();
      expect(where('gt-too-big')).toBeUndefined();
    });
    await eventually(async () => {
      const [event] = await eventsFor(t.client, 'in-b-c-untolerated', 'FailedScheduling');
      expect(event?.message).toBe(
        "0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector.",
      );
    });
  });

  it('prefers nodes matching preferred affinity terms and avoids PreferNoSchedule taints', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    await createNode(t.client, 'plain', { labels: { pool: 'p' } });
    await createNode(t.client, 'fancy', { labels: { pool: 'p', tier: 'gold' } });
    await createNode(t.client, 'soft-tainted', { labels: { pool: 'q' }, taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] });
    await createNode(t.client, 'clean', { labels: { pool: 'q' } });
    for (let i = 0; i < 3; i++) {
      await createPod(t.client, `gold-${i}`, {
        nodeSelector: { pool: 'p' },
        affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] } }] } },
      });
      await createPod(t.client, `q-${i}`, { nodeSelector: { pool: 'q' } });
    }
    await eventually(async () => {
      const pods = await podsByName(t.client);
      for (let i = 0; i < 3; i++) {
        expect(pods.get(`gold-${i}`)?.spec?.nodeName).toBe('fancy');
        expect(pods.get(`q-${i}`)?.spec?.nodeName).toBe('clean');
      }
    });
  });

  it('spreads the pods of one ReplicaSet across nodes', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    for (let i = 0; i < 4; i++) await createNode(t.client, `n${i}`);
    // A pod of another owner sits on n0; spreading is per owner, so it does not matter.
    for (let i = 0; i < 8; i++) await createPod(t.client, `rs-${i}`, { ownerUid: 'owner-1', labels: { app: 'web' } });
    await eventually(async () => {
      const pods = [...(await podsByName(t.client)).values()];
      expect(pods.every((p) => p.spec?.nodeName)).toBe(true);
      const counts = new Map<string, number>();
      for (const p of pods) counts.set(p.spec!.nodeName!, (counts.get(p.spec!.nodeName!) ?? 0) + 1);
      expect([...counts.values()].sort()).toEqual([2, 2, 2, 2]);
    });
  });

  it('honours a DoNotSchedule topology spread constraint', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    await createNode(t.client, 'z1', { labels: { zone: 'one' } });
    await createNode(t.client, 'z2', { labels: { zone: 'two' } });
    await createNode(t.client, 'nozone');
    const pods = t.client.resource('v1', 'Pod');
    for (let i = 0; i < 4; i++) {
      await pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `spread-${i}`, namespace: 'default', labels: { app: 'db' } },
        spec: {
          containers: [{ name: 'c', image: 'busybox' }],
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'db' } } }],
        },
      });
    }
    await eventually(async () => {
      const all = [...(await podsByName(t.client)).values()];
      expect(all.every((p) => p.spec?.nodeName && p.spec.nodeName !== 'nozone')).toBe(true);
      expect(all.filter((p) => p.spec?.nodeName === 'z1')).toHaveLength(2);
      expect(all.filter((p) => p.spec?.nodeName === 'z2')).toHaveLength(2);
    });
  });

  it('leaves pods of another schedulerName alone', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    await createNode(t.client, 'n');
    await createPod(t.client, 'theirs', { schedulerName: 'someone-else' });
    await createPod(t.client, 'ours');
    await eventually(async () => expect((await podsByName(t.client)).get('ours')?.spec?.nodeName).toBe('n'));
    expect((await podsByName(t.client)).get('theirs')?.spec?.nodeName).toBeUndefined();
    expect(await eventsFor(t.client, 'theirs', 'FailedScheduling')).toHaveLength(0);
  });
});
