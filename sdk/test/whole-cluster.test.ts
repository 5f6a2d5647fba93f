import { describe, expect, it } from 'vitest';
import type { Pod } from '@skiff/core';
import { createTestCluster, eventually } from '../src/testing/index.js';

describe('createTestCluster({ nodes })', { timeout: 60_000 }, () => {
  it('is a whole simulated cluster: nodes register Ready, and a pod with no node is scheduled and runs', async () => {
    await using tc = await createTestCluster({ nodes: 3 });
    await eventually(async () => {
      const nodes = await tc.client.resource('v1', 'Node').list();
      expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(['node-0', 'node-1', 'node-2']);
      expect(nodes.items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).toBe(true);
    }, { timeoutMs: 20_000 });
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } };
    await tc.client.resource('v1', 'Pod').create(pod);
    await eventually(async () => {
      const got = await tc.client.resource('v1', 'Pod').get('web', { namespace: 'default' });
      expect(got.spec?.nodeName).toMatch(/^node-[012]$/);
      expect(got.status?.phase).toBe('Running');
    }, { timeoutMs: 20_000 });
  });

  it('runs the controllers: a ReplicaSet gets its pods Ready, and deleting it garbage-collects them', async () => {
    await using tc = await createTestCluster({ nodes: 2 });
    const labels = { app: 'web' };
    await tc.client.resource('apps/v1', 'ReplicaSet').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'busybox' }] } } },
    });
    await eventually(async () => expect((await tc.client.resource('apps/v1', 'ReplicaSet').get('web', { namespace: 'default' })).status?.readyReplicas).toBe(3), { timeoutMs: 30_000 });
    await tc.client.resource('apps/v1', 'ReplicaSet').delete('web', { namespace: 'default' });
    await eventually(async () => expect((await tc.client.resource('v1', 'Pod').list({ namespace: 'default', labelSelector: 'app=web' })).items).toHaveLength(0), { timeoutMs: 30_000 });
  });
});
