import { isSkiffError } from '@skiff/core';
import { LeaderElector, type Client } from '@skiff/sdk';
import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';

const timing = { leaseDurationMs: 1_200, renewDeadlineMs: 800, retryPeriodMs: 100 };

function candidate(client: Client, identity: string, log: string[], extra: Partial<ConstructorParameters<typeof LeaderElector>[0]> = {}) {
  return new LeaderElector({
    client,
    name: 'test-lock',
    identity,
    ...timing,
    onStartedLeading: () => log.push(`${identity}:start`),
    onStoppedLeading: () => log.push(`${identity}:stop`),
    ...extra,
  });
}

describe('LeaderElector', () => {
  it('acquires a free Lease and fills in its fields', async () => {
    await using t = await createTestCluster();
    const log: string[] = [];
    const a = candidate(t.client, 'a', log);
    a.start();
    await eventually(() => expect(a.isLeader()).toBe(true));
    const lease = await t.client.resource('coordination.k8s.io/v1', 'Lease').get('test-lock', { namespace: 'kube-system' });
    expect(lease.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(lease.spec?.acquireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // Renewals move renewTime forward and keep acquireTime.
    await eventually(async () => {
      const later = await t.client.resource('coordination.k8s.io/v1', 'Lease').get('test-lock', { namespace: 'kube-system' });
      expect(later.spec?.renewTime).not.toBe(lease.spec?.renewTime);
      expect(later.spec?.acquireTime).toBe(lease.spec?.acquireTime);
    });
    await a.stop();
    expect(log).toEqual(['a:start', 'a:stop']);
  });

  it('lets exactly one of two candidates lead, and hands over when the leader stops', async () => {
    await using t = await createTestCluster();
    const log: string[] = [];
    const a = candidate(t.client, 'a', log);
    const b = candidate(t.client, 'b', log);
    a.start();
    b.start();
    await eventually(() => expect(a.isLeader() || b.isLeader()).toBe(true));
    // Sample for a while (several renewal periods): never both.
    let samples = 0;
    let both = 0;
    await eventually(
      () => {
        if (a.isLeader() && b.isLeader()) both++;
        if (++samples < 40) throw new Error('still sampling');
      },
      { intervalMs: 20 },
    );
    expect(both).toBe(0);
    const [leader, other] = a.isLeader() ? [a, b] : [b, a];
    await leader.stop(); // releases the Lease
    await eventually(() => expect(other.isLeader()).toBe(true));
    const lease = await t.client.resource('coordination.k8s.io/v1', 'Lease').get('test-lock', { namespace: 'kube-system' });
    expect(lease.spec?.holderIdentity).toBe(other === a ? 'a' : 'b');
    expect(lease.spec?.leaseTransitions).toBe(1);
    await other.stop();
  });

  it('takes over from a crashed leader only after the lease duration', async () => {
    await using t = await createTestCluster();
    const log: string[] = [];
    const a = candidate(t.client, 'a', log, { releaseOnStop: false });
    a.start();
    await eventually(() => expect(a.isLeader()).toBe(true));
    await a.stop(); // a "crash": the Lease still names a
    const b = candidate(t.client, 'b', log);
    const startedAt = Date.now();
    b.start();
    await eventually(() => expect(b.isLeader()).toBe(true), { timeoutMs: 10_000 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(timing.leaseDurationMs);
    await b.stop();
  });

  it('steps down when someone else holds the Lease', async () => {
    await using t = await createTestCluster();
    const log: string[] = [];
    const a = candidate(t.client, 'a', log);
    a.start();
    await eventually(() => expect(a.isLeader()).toBe(true));
    const leases = t.client.resource('coordination.k8s.io/v1', 'Lease');
    const lease = await leases.get('test-lock', { namespace: 'kube-system' });
    await leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder' } });
    await eventually(() => expect(a.isLeader()).toBe(false));
    expect(log).toEqual(['a:start', 'a:stop']);
    await a.stop();
  });

  it('refuses inconsistent durations with a coded error', async () => {
    await using t = await createTestCluster();
    let err: unknown;
    try {
      new LeaderElector({ client: t.client, name: 'x', identity: 'a', leaseDurationMs: 1_000, renewDeadlineMs: 2_000, retryPeriodMs: 100 });
    } catch (e) {
      err = e;
    }
    expect(isSkiffError(err, 'SKIFF_ERR_PLUGIN_OPTIONS')).toBe(true);
  });
});
