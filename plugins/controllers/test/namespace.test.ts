import { afterEach, describe, expect, it } from 'vitest';
import type { Namespace } from '@skiff/core';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { garbageCollector } from '../src/garbage-collector/index.js';
import { namespaceController } from '../src/namespace/index.js';
import { addWidgets, clusterWith, configMap, exists, failureCode, getOrUndefined, nodes, pod } from './cluster-fixtures-2.js';

let tc: TestCluster;
afterEach(() => tc?.stop());

const TIMEOUT = { timeoutMs: 20_000 };
const namespaces = () => tc.client.resource('v1', 'Namespace');

describe('namespace controller', () => {
  it('deleting a namespace deletes everything in it (custom resources too), then the namespace', async () => {
    tc = await clusterWith(...nodes(['n1']), namespaceController({ recheckIntervalMs: 50 }), garbageCollector({ discoveryIntervalMs: 50 }));
    addWidgets(tc);
    await namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await tc.client.resource('v1', 'ConfigMap').create(configMap('c', {}, 'team') as never);
    await tc.client.resource('v1', 'Pod').create(pod('p', {}, {}, 'team'));
    await tc.client.resource('v1', 'Pod').create(pod('running', {}, { nodeName: 'n1' }, 'team'));
    await eventually(async () => expect((await tc.client.resource('v1', 'Pod').get('running', { namespace: 'team' })).status?.phase).toBe('Running'), TIMEOUT);
    await tc.client.resource('v1', 'Secret').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'team' } });
    await tc.client.resource('example.com/v1', 'Widget').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'team' } });
    await tc.client.resource('v1', 'ConfigMap').create(configMap('held', { finalizers: ['example.com/hold'] }, 'team') as never);
    await tc.client.resource('v1', 'ConfigMap').create(configMap('elsewhere') as never);

    const marked = await namespaces().delete('team');
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    expect((await namespaces().get('team')).status?.phase).toBe('Terminating');
    const refused = await failureCode(tc.client.resource('v1', 'ConfigMap').create(configMap('late', {}, 'team') as never));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain('unable to create new content in namespace team because it is being terminated');

    // Held by a finalizer: the namespace waits and says why.
    await eventually(async () => {
      expect(await exists(tc.client, 'v1', 'ConfigMap', 'c', 'team')).toBe(false);
      expect(await exists(tc.client, 'v1', 'Pod', 'p', 'team')).toBe(false);
      expect(await exists(tc.client, 'v1', 'Pod', 'running', 'team')).toBe(false);
      expect(await exists(tc.client, 'v1', 'Secret', 's', 'team')).toBe(false);
      expect(await exists(tc.client, 'example.com/v1', 'Widget', 'w', 'team')).toBe(false);
      const ns = await getOrUndefined<Namespace>(tc.client, 'v1', 'Namespace', 'team');
      const conditions = ns?.status?.conditions ?? [];
      expect(conditions.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'True', reason: 'SomeResourcesRemain' });
      expect(conditions.find((c) => c.type === 'NamespaceFinalizersRemaining')).toMatchObject({ status: 'True' });
    }, TIMEOUT);
    await tc.client.resource('v1', 'ConfigMap').patch('held', { metadata: { finalizers: null } }, { namespace: 'team' });
    await eventually(async () => expect(await exists(tc.client, 'v1', 'Namespace', 'team')).toBe(false), TIMEOUT);
    expect(await exists(tc.client, 'v1', 'ConfigMap', 'elsewhere', 'default')).toBe(true);
    // The name can be used again.
    const again = await namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    expect(again.status?.phase).toBe('Active');
  });

  it('default, kube-system and kube-public cannot be deleted', async () => {
    tc = await clusterWith(namespaceController({ recheckIntervalMs: 50 }));
    for (const name of ['default', 'kube-system', 'kube-public']) {
      expect(await failureCode(namespaces().delete(name))).toEqual({ code: 403, message: `namespaces "${name}" is forbidden: this namespace may not be deleted` });
      expect((await namespaces().get(name)).status?.phase).toBe('Active');
    }
  });
});
