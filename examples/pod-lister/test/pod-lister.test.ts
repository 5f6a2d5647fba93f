import type { Pod } from '@skiff/core';
import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { podLister } from '../src/index.js';

const pod = (name: string, labels: Record<string, string>, namespace = 'default'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'app', image: 'busybox' }] },
});

describe('PodLister example controller', () => {
  it('keeps a ConfigMap listing the pods that match its selector', async () => {
    const t = await createTestCluster({ plugins: [podLister({ namespace: 'default', selector: 'app=web,tier!=canary', configMapName: 'web-pods' })] });
    try {
      const pods = t.client.resource('v1', 'Pod');
      const configMaps = t.client.resource('v1', 'ConfigMap');
      const listed = async () => (await configMaps.get('web-pods', { namespace: 'default' })).data?.['pods'];
      await eventually(async () => expect(await listed()).toBe(''));
      await pods.create(pod('web-b', { app: 'web' }));
      await pods.create(pod('web-a', { app: 'web' }));
      await pods.create(pod('web-canary', { app: 'web', tier: 'canary' }));
      await pods.create(pod('db', { app: 'db' }));
      await eventually(async () => expect(await listed()).toBe('web-a\nweb-b'));
      await pods.patch('db', { metadata: { labels: { app: 'web' } } }, { namespace: 'default' });
      await pods.delete('web-a', { namespace: 'default' });
      await eventually(async () => expect(await listed()).toBe('db\nweb-b'));
      // Someone overwrites the list by hand: the controller puts it back (level-triggered).
      const cm = await configMaps.get('web-pods', { namespace: 'default' });
      await configMaps.update({ ...cm, data: { pods: 'wrong' } });
      await eventually(async () => expect(await listed()).toBe('db\nweb-b'));
    } finally {
      await t.stop();
    }
  });

  it('refuses options that do not match its schema', async () => {
    await expect(createTestCluster({ plugins: [podLister({ namespace: 'default' } as never)] })).rejects.toMatchObject({
      code: 'SKIFF_ERR_PLUGIN_OPTIONS',
      details: { plugin: 'PodLister' },
    });
  });
});
