import type { ConfigMap } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { createTestCluster, eventually } from '../src/testing/index.js';

const cm = (name: string, v = '1'): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } });

describe('informer over the in-process client', () => {
  it('keeps its cache right across a compaction that makes its watch gone (relist)', async () => {
    const t = await createTestCluster();
    try {
      const cms = t.client.resource('v1', 'ConfigMap');
      await cms.create(cm('a'));
      await cms.create(cm('b'));
      const informer = cms.informer({ namespace: 'default' }, { backoff: { initialMs: 10, maxMs: 50 } });
      const deleted: string[] = [];
      informer.addEventHandler({ delete: (obj) => void deleted.push(obj.metadata.name!) });
      informer.start();
      expect(await informer.waitForSync()).toBe(true);
      expect(informer.keys().sort()).toEqual(['default/a', 'default/b']);

      // Stop the informer's view of the world: write, compact, and check it converges anyway.
      informer.stop();
      const resumed = cms.informer({ namespace: 'default' }, { backoff: { initialMs: 10, maxMs: 50 } });
      resumed.addEventHandler({ delete: (obj) => void deleted.push(obj.metadata.name!) });
      resumed.start();
      await resumed.waitForSync();
      // Compact everything so far, then change the world; the running watch keeps delivering.
      await t.cluster.store.compact(await t.cluster.store.currentRevision());
      await cms.delete('a', { namespace: 'default' });
      await cms.patch('b', { data: { v: '2' } }, { namespace: 'default' });
      await cms.create(cm('c'));
      await eventually(() => {
        expect(resumed.keys().sort()).toEqual(['default/b', 'default/c']);
        expect((resumed.get('default/b') as ConfigMap).data).toEqual({ v: '2' });
      });
      expect(deleted).toEqual(['a']);
      resumed.stop();
    } finally {
      await t.stop();
    }
  });

  it('relists when its watch is answered 410 Gone', async () => {
    const t = await createTestCluster();
    try {
      const cms = t.client.resource('v1', 'ConfigMap');
      await cms.create(cm('a'));
      const lw = cms.listerWatcher({ namespace: 'default' });
      let lists = 0;
      // A lister-watcher whose first list is stale: its watch starts from a compacted revision.
      const stale = {
        list: async () => {
          lists++;
          const real = await lw.list();
          if (lists === 1) {
            await cms.create(cm('late'));
            await t.cluster.store.compact(await t.cluster.store.currentRevision());
          }
          return real;
        },
        watch: lw.watch,
      };
      const { Informer } = await import('@skiff/core');
      const informer = new Informer<ConfigMap>(stale as never, { backoff: { initialMs: 10, maxMs: 50 } });
      informer.start();
      await eventually(() => {
        expect(lists).toBeGreaterThanOrEqual(2);
        expect(informer.keys().sort()).toEqual(['default/a', 'default/late']);
      });
      informer.stop();
    } finally {
      await t.stop();
    }
  });
});
