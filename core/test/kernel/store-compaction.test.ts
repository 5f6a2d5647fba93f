import { describe, expect, it } from 'vitest';
import { createCluster, storeCompaction, type KubeObject } from '../../src/index.js';

const configMap = (name: string, value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { value } });

describe('storeCompaction', () => {
  it('compacts to the revision noted one interval earlier, keeping at least one interval of history', async () => {
    const cluster = await createCluster({ plugins: [storeCompaction({ intervalMs: 50 })] });
    await cluster.start();
    try {
      const res = cluster.resources.require('v1', 'ConfigMap');
      await cluster.api.create(res, 'default', configMap('a', '0'));
      for (let i = 1; i <= 5; i++) {
        const current = await cluster.api.get(res, 'default', 'a');
        await cluster.api.update(res, 'default', 'a', { ...current, data: { value: String(i) } });
      }
      const written = await cluster.store.currentRevision();
      // Some tick notes `written`; a later tick compacts to it. Nothing newer is ever compacted.
      await expect.poll(() => cluster.store.compactedRevision(), { timeout: 10_000 }).toBe(written);
      expect((await cluster.api.get(res, 'default', 'a'))['data']).toEqual({ value: '5' });
    } finally {
      await cluster.stop();
    }
  });

  it('rejects bad options', async () => {
    await expect(createCluster({ plugins: [storeCompaction({ intervalMs: 0 })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
  });
});
