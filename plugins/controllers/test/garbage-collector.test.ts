import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject, ObjectBase } from '@skiff/core';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { garbageCollector } from '../src/garbage-collector/index.js';
import { addWidgets, clusterWith, configMap, exists, getOrUndefined, ownerRef, pod } from './cluster-fixtures-2.js';

let tc: TestCluster;
afterEach(() => tc?.stop());

const TIMEOUT = { timeoutMs: 20_000 };

/** A ReplicaSet nobody reconciles: an inert owner. */
async function owner(name: string): Promise<KubeObject> {
  return tc.client.resource('apps/v1', 'ReplicaSet').create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } } },
  }) as unknown as Promise<KubeObject>;
}

const cms = () => tc.client.resource('v1', 'ConfigMap');
const pods = () => tc.client.resource('v1', 'Pod');
const rss = () => tc.client.resource('apps/v1', 'ReplicaSet');

describe('garbage collector', () => {
  it('background: deletes dependents whose owners are all gone, and drops references to gone owners otherwise', async () => {
    tc = await clusterWith(garbageCollector({ discoveryIntervalMs: 50 }));
    const rs = await owner('web');
    const other = await owner('other');
    await cms().create(configMap('only-web', { ownerReferences: [ownerRef(rs, { controller: true })] }) as never);
    await pods().create(pod('web-pod', { ownerReferences: [ownerRef(rs, { controller: true, blockOwnerDeletion: true })] }));
    await cms().create(configMap('shared', { ownerReferences: [ownerRef(rs), ownerRef(other)] }) as never);
    await cms().create(configMap('free') as never);
    await rss().delete('web', { namespace: 'default', propagationPolicy: 'Background' });
    await eventually(async () => {
      expect(await exists(tc.client, 'v1', 'ConfigMap', 'only-web', 'default')).toBe(false);
      expect(await exists(tc.client, 'v1', 'Pod', 'web-pod', 'default')).toBe(false);
      const shared = await getOrUndefined(tc.client, 'v1', 'ConfigMap', 'shared', 'default');
      expect(shared?.metadata.ownerReferences?.map((r) => r.uid)).toEqual([other.metadata.uid]);
    }, TIMEOUT);
    expect(await exists(tc.client, 'v1', 'ConfigMap', 'free', 'default')).toBe(true);
  });

  it('verifies owners by uid: a reference to a replaced or never-existing owner is dangling', async () => {
    tc = await clusterWith(garbageCollector({ discoveryIntervalMs: 50 }));
    const rs = await owner('web');
    await cms().create(configMap('ghost', { ownerReferences: [{ ...ownerRef(rs), uid: '00000000-0000-0000-0000-000000000000' }] }) as never);
    await cms().create(configMap('real', { ownerReferences: [ownerRef(rs)] }) as never);
    await eventually(async () => expect(await exists(tc.client, 'v1', 'ConfigMap', 'ghost', 'default')).toBe(false), TIMEOUT);
    expect(await exists(tc.client, 'v1', 'ConfigMap', 'real', 'default')).toBe(true);
  });

  it('foreground: the owner waits (deletionTimestamp, foregroundDeletion) until blocking dependents are gone', async () => {
    tc = await clusterWith(garbageCollector({ discoveryIntervalMs: 50 }));
    const rs = await owner('web');
    await cms().create(configMap('held', { finalizers: ['example.com/hold'], ownerReferences: [ownerRef(rs, { blockOwnerDeletion: true })] }) as never);
    await cms().create(configMap('loose', { ownerReferences: [ownerRef(rs)] }) as never);
    await rss().delete('web', { namespace: 'default', propagationPolicy: 'Foreground' });
    await eventually(async () => {
      const held = await getOrUndefined(tc.client, 'v1', 'ConfigMap', 'held', 'default');
      expect(held?.metadata.deletionTimestamp).toBeTruthy();
      expect(await exists(tc.client, 'v1', 'ConfigMap', 'loose', 'default')).toBe(false);
    }, TIMEOUT);
    const waiting = await getOrUndefined<ObjectBase>(tc.client, 'apps/v1', 'ReplicaSet', 'web', 'default');
    expect(waiting?.metadata.deletionTimestamp).toBeTruthy();
    expect(waiting?.metadata.finalizers).toContain('foregroundDeletion');
    await cms().patch('held', { metadata: { finalizers: null } }, { namespace: 'default' });
    await eventually(async () => {
      expect(await exists(tc.client, 'v1', 'ConfigMap', 'held', 'default')).toBe(false);
      expect(await exists(tc.client, 'apps/v1', 'ReplicaSet', 'web', 'default')).toBe(false);
    }, TIMEOUT);
  });

  it('orphan: dependents lose the reference and stay; the owner goes', async () => {
    tc = await clusterWith(garbageCollector({ discoveryIntervalMs: 50 }));
    const rs = await owner('web');
    const other = await owner('other');
    await cms().create(configMap('a', { ownerReferences: [ownerRef(rs, { controller: true, blockOwnerDeletion: true })] }) as never);
    await pods().create(pod('p', { ownerReferences: [ownerRef(rs), ownerRef(other)] }));
    await rss().delete('web', { namespace: 'default', propagationPolicy: 'Orphan' });
    await eventually(async () => expect(await exists(tc.client, 'apps/v1', 'ReplicaSet', 'web', 'default')).toBe(false), TIMEOUT);
    const a = await cms().get('a', { namespace: 'default' });
    expect(a.metadata.ownerReferences).toBeUndefined();
    const p = await pods().get('p', { namespace: 'default' });
    expect(p.metadata.ownerReferences?.map((r) => r.uid)).toEqual([other.metadata.uid]);
  });

  it('follows chains and custom resources added after it started', async () => {
    tc = await clusterWith(garbageCollector({ discoveryIntervalMs: 50 }));
    addWidgets(tc);
    const widgets = tc.client.resource('example.com/v1', 'Widget');
    const w = await widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } });
    const top = await cms().create(configMap('top') as never);
    await widgets.patch('w', { metadata: { ownerReferences: [ownerRef(top as unknown as ObjectBase)] } }, { namespace: 'default' });
    await cms().create(configMap('leaf', { ownerReferences: [ownerRef(w)] }) as never);
    await cms().delete('top', { namespace: 'default' });
    await eventually(async () => {
      expect(await exists(tc.client, 'example.com/v1', 'Widget', 'w', 'default')).toBe(false);
      expect(await exists(tc.client, 'v1', 'ConfigMap', 'leaf', 'default')).toBe(false);
    }, TIMEOUT);
  });
});
