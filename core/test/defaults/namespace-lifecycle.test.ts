import { afterEach, describe, expect, it } from 'vitest';
import { isApiError, type Cluster, type KubeObject } from '../../src/index.js';
import { startCluster } from './harness.js';

let cluster: Cluster;
afterEach(() => cluster?.stop());

const nsRes = () => cluster.resources.require('v1', 'Namespace');
const cmRes = () => cluster.resources.require('v1', 'ConfigMap');
const ns = (name: string, spec?: object): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, ...(spec ? { spec } : {}) });

async function failure(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isApiError(err)) return { code: err.status.code, message: err.status.message ?? '' };
    throw err;
  }
  throw new Error('the request succeeded');
}

describe('namespace lifecycle', () => {
  it('creates namespaces Active with the kubernetes finalizer, kept on updates', async () => {
    cluster = await startCluster();
    const created = await cluster.api.create(nsRes(), undefined, ns('team', { finalizers: ['example.com/x'] }));
    expect(created['spec']).toEqual({ finalizers: ['example.com/x', 'kubernetes'] });
    expect(created['status']).toEqual({ phase: 'Active' });
    const updated = await cluster.api.update(nsRes(), undefined, 'team', { ...created, spec: { finalizers: [] }, metadata: { ...created.metadata, labels: { a: 'b' } } });
    expect(updated['spec']).toEqual({ finalizers: ['example.com/x', 'kubernetes'] });
    expect(updated.metadata.labels).toEqual({ a: 'b' });
  });

  it('deleting marks the namespace Terminating; creates in it are refused; finalize removes it', async () => {
    cluster = await startCluster();
    await cluster.api.create(nsRes(), undefined, ns('team'));
    const marked = await cluster.api.delete(nsRes(), undefined, 'team');
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    expect(marked['status']).toMatchObject({ phase: 'Terminating' });
    const refused = await failure(cluster.api.create(cmRes(), 'team', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain('unable to create new content in namespace team because it is being terminated');
    const current = await cluster.api.get(nsRes(), undefined, 'team');
    await cluster.api.update(nsRes(), undefined, 'team', { ...current, spec: { finalizers: [] } }, { subresource: 'finalize' });
    expect((await failure(cluster.api.get(nsRes(), undefined, 'team'))).code).toBe(404);
  });

  it('finalize on an active namespace only changes spec.finalizers; other kinds have no finalize', async () => {
    cluster = await startCluster();
    const created = await cluster.api.create(nsRes(), undefined, ns('team'));
    const finalized = await cluster.api.update(nsRes(), undefined, 'team', { ...created, metadata: { ...created.metadata, labels: { x: 'y' } }, spec: { finalizers: [] } }, { subresource: 'finalize' });
    expect(finalized['spec']).toEqual({ finalizers: [] });
    expect(finalized.metadata.labels).toBeUndefined();
    // Without spec finalizers a delete removes it at once.
    await cluster.api.delete(nsRes(), undefined, 'team');
    expect((await failure(cluster.api.get(nsRes(), undefined, 'team'))).code).toBe(404);
    await cluster.api.create(cmRes(), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const cm = await cluster.api.get(cmRes(), 'default', 'c');
    expect((await failure(cluster.api.update(cmRes(), 'default', 'c', cm, { subresource: 'finalize' }))).code).toBe(404);
  });

  it('refuses to delete default, kube-system and kube-public', async () => {
    cluster = await startCluster();
    for (const name of ['default', 'kube-system', 'kube-public']) {
      const refused = await failure(cluster.api.delete(nsRes(), undefined, name));
      expect(refused).toEqual({ code: 403, message: `namespaces "${name}" is forbidden: this namespace may not be deleted` });
      expect((await cluster.api.get(nsRes(), undefined, name)).metadata.deletionTimestamp).toBeUndefined();
    }
  });
});
