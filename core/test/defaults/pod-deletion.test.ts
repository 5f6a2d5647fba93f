import { describe, expect, it } from 'vitest';
import { builtinAdmission, createCluster, isApiError, type KubeObject } from '../../src/index.js';

const pod = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
});

async function withCluster(fn: (c: Awaited<ReturnType<typeof createCluster>>) => Promise<void>) {
  const cluster = await createCluster({ plugins: builtinAdmission() });
  await cluster.start();
  try {
    await fn(cluster);
  } finally {
    await cluster.stop();
  }
}

const gone = async (p: Promise<unknown>) => p.then(() => false, (err: unknown) => isApiError(err, 404));

describe('graceful deletion of pods', () => {
  it('deletes an unscheduled pod at once', () =>
    withCluster(async (c) => {
      const res = c.resources.require('v1', 'Pod');
      await c.api.create(res, 'default', pod('pending'));
      await c.api.delete(res, 'default', 'pending');
      expect(await gone(c.api.get(res, 'default', 'pending'))).toBe(true);
    }));

  it('marks a pod bound to a node terminating for its grace period; only a shorter grace or grace 0 changes that', () =>
    withCluster(async (c) => {
      const res = c.resources.require('v1', 'Pod');
      await c.api.create(res, 'default', pod('bound', { nodeName: 'node-1', terminationGracePeriodSeconds: 45 }));
      const before = Date.now();
      const marked = await c.api.delete(res, 'default', 'bound');
      expect(marked.metadata.deletionGracePeriodSeconds).toBe(45);
      const deadline = Date.parse(marked.metadata.deletionTimestamp!);
      expect(deadline).toBeGreaterThanOrEqual(before + 44_000);
      // A status write during the grace period does not finish the deletion.
      const stored = await c.api.get(res, 'default', 'bound');
      await c.api.update(res, 'default', 'bound', { ...stored, status: { phase: 'Running' } }, { subresource: 'status' });
      expect((await c.api.get(res, 'default', 'bound')).metadata.deletionGracePeriodSeconds).toBe(45);
      // A longer grace is ignored, a shorter one shortens it.
      expect((await c.api.delete(res, 'default', 'bound', { gracePeriodSeconds: 60 })).metadata.deletionGracePeriodSeconds).toBe(45);
      expect((await c.api.delete(res, 'default', 'bound', { gracePeriodSeconds: 5 })).metadata.deletionGracePeriodSeconds).toBe(5);
      // The node agent (or a forced delete) ends it with grace 0.
      await c.api.delete(res, 'default', 'bound', { gracePeriodSeconds: 0 });
      expect(await gone(c.api.get(res, 'default', 'bound'))).toBe(true);
    }));

  it('a pod with a finalizer deleted with grace 0 waits for the finalizer, then goes', () =>
    withCluster(async (c) => {
      const res = c.resources.require('v1', 'Pod');
      await c.api.create(res, 'default', { ...pod('held', { nodeName: 'node-1' }), metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] } });
      await c.api.delete(res, 'default', 'held');
      const forced = await c.api.delete(res, 'default', 'held', { gracePeriodSeconds: 0 });
      expect(forced.metadata.deletionGracePeriodSeconds).toBe(0);
      expect(await gone(c.api.get(res, 'default', 'held'))).toBe(false);
      const current = await c.api.get(res, 'default', 'held');
      await c.api.update(res, 'default', 'held', { ...current, metadata: { ...current.metadata, finalizers: [] } });
      expect(await gone(c.api.get(res, 'default', 'held'))).toBe(true);
    }));

  it('deletes finished pods at once', () =>
    withCluster(async (c) => {
      const res = c.resources.require('v1', 'Pod');
      const created = await c.api.create(res, 'default', pod('done', { nodeName: 'node-1' }));
      await c.api.update(res, 'default', 'done', { ...created, status: { phase: 'Succeeded' } }, { subresource: 'status' });
      await c.api.delete(res, 'default', 'done');
      expect(await gone(c.api.get(res, 'default', 'done'))).toBe(true);
    }));
});
