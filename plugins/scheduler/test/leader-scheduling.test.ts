import type { Pod } from '@skiff/core';
import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../src/index.js';
import { FAST, createNode, createPod, podsByName } from './fixtures.js';

describe('scheduler: two instances with leader election', () => {
  it('binds each pod once, only from the leader, and the other takes over when the leader stops', async () => {
    await using t = await createTestCluster();
    for (let i = 0; i < 5; i++) await createNode(t.client, `n${i}`);
    // Watch every pod change: a pod's nodeName may go from unset to set once and never change.
    const transitions = new Map<string, string[]>();
    const watch = await t.client.resource('v1', 'Pod').watch({ namespace: 'default' });
    const watching = (async () => {
      for await (const ev of watch) {
        const pod = ev.object as Pod;
        const seen = transitions.get(pod.metadata.name!) ?? [];
        const node = pod.spec?.nodeName ?? '';
        if (seen[seen.length - 1] !== node) seen.push(node);
        transitions.set(pod.metadata.name!, seen);
      }
    })();
    // Roomy durations so a loaded machine cannot make the leader miss a renewal mid-test; a clean
    // stop releases the Lease, so the hand-over itself does not wait for them.
    const leaderElection = { leaseDurationMs: 6_000, renewDeadlineMs: 4_000, retryPeriodMs: 100 };
    const make = (identity: string) => new Scheduler({ client: t.client, config: { ...FAST, leaderElection: { ...leaderElection, identity } } });
    const a = make('sched-a');
    const b = make('sched-b');
    await Promise.all([a.start(), b.start()]);
    try {
      await eventually(() => expect(a.isLeader() !== b.isLeader()).toBe(true));
      const [leader, standby] = a.isLeader() ? [a, b] : [b, a];
      for (let i = 0; i < 40; i++) await createPod(t.client, `first-${i}`, { cpu: '10m' });
      await eventually(async () => expect([...(await podsByName(t.client)).values()].every((p) => p.spec?.nodeName)).toBe(true));
      expect(leader.boundCount).toBe(40);
      expect(standby.boundCount).toBe(0);

      await leader.stop();
      await eventually(() => expect(standby.isLeader()).toBe(true));
      for (let i = 0; i < 40; i++) await createPod(t.client, `second-${i}`, { cpu: '10m' });
      await eventually(async () => expect([...(await podsByName(t.client)).values()].every((p) => p.spec?.nodeName)).toBe(true));
      expect(standby.boundCount).toBe(40);
      expect(leader.boundCount).toBe(40);
      await eventually(() => expect(transitions.size).toBe(80));
      for (const [name, seen] of transitions) expect({ name, seen: seen.length, first: seen[0] }).toEqual({ name, seen: 2, first: '' });
    } finally {
      watch.stop();
      await watching.catch(() => undefined);
      await a.stop();
      await b.stop();
    }
  });

  it('binds nothing while not the leader', async () => {
    await using t = await createTestCluster();
    await createNode(t.client, 'n');
    // Someone else holds the Lease and keeps renewing it.
    const leases = t.client.resource('coordination.k8s.io/v1', 'Lease');
    const now = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'kube-scheduler', namespace: 'kube-system' }, spec: { holderIdentity: 'other', leaseDurationSeconds: 60, renewTime: now() } });
    const s = new Scheduler({ client: t.client, config: { ...FAST, leaderElection: { ...FAST.leaderElection, identity: 'me', leaseDurationMs: 60_000, renewDeadlineMs: 1_000 } } });
    await s.start();
    try {
      await createPod(t.client, 'waiting');
      await eventually(() => expect(s.queue.where('default/waiting')).toBe('active'));
      expect(s.isLeader()).toBe(false);
      expect((await podsByName(t.client)).get('waiting')?.spec?.nodeName).toBeUndefined();
      // The holder gives the Lease up: this scheduler acquires it and binds.
      const lease = await leases.get('kube-scheduler', { namespace: 'kube-system' });
      await leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: '' } });
      await eventually(async () => expect((await podsByName(t.client)).get('waiting')?.spec?.nodeName).toBe('n'));
    } finally {
      await s.stop();
    }
  });
});
