import { afterAll, describe, expect, it } from 'vitest';
import { isSkiffError, type WatchEvent } from '@skiff/core';
import { cmKey, configMap, takeEvents } from '@skiff/core/testing';
import { sqliteStore } from '../src/index.js';
import { TempDirs } from './temp-dir.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

describe('sqlite store on disk', () => {
  it('reopens with every value, the revision counter and the compaction point', async () => {
    const path = dirs.dbPath();
    let store = sqliteStore({ path, compaction: false });
    const a = await store.create(cmKey('a'), configMap('a', { v: '1' }));
    await store.update(cmKey('a'), { ...a, data: { v: '2' } });
    await store.create(cmKey('b'), configMap('b'));
    await store.delete(cmKey('b'));
    const rev = await store.currentRevision();
    await store.compact(rev);
    await store.close();

    store = sqliteStore({ path, compaction: false });
    try {
      expect(await store.currentRevision()).toBe(rev);
      expect(await store.compactedRevision()).toBe(rev);
      expect((await store.get(cmKey('a')))?.['data']).toEqual({ v: '2' });
      expect(await store.get(cmKey('b'))).toBeUndefined();
      // The counter never goes back, even though the newest rows (b's tombstone) were compacted away.
      const c = await store.create(cmKey('c'), configMap('c'));
      expect(Number(c.metadata.resourceVersion)).toBe(rev + 1);
      const err = await store.watch('/registry/', { fromRevision: rev - 1 })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
      expect(isSkiffError(err, 'SKIFF_ERR_STORE_GONE')).toBe(true);
      const w = store.watch('/registry/', { fromRevision: rev });
      expect((await takeEvents(w, 1)).map((e) => [e.type, e.key])).toEqual([['ADDED', cmKey('c')]]);
      w.stop();
    } finally {
      await store.close();
    }
  });

  it('a watch replays history longer than one batch, in order, while writes go on', async () => {
    const store = sqliteStore({ path: dirs.dbPath(), compaction: false });
    try {
      for (let i = 0; i < 1300; i++) await store.create(cmKey(`k${i}`), configMap(`k${i}`));
      const watch = store.watch('/registry/configmaps/', { fromRevision: 0 });
      const writes = (async () => {
        for (let i = 0; i < 200; i++) await store.delete(cmKey(`k${i}`));
      })();
      const events: WatchEvent[] = await takeEvents(watch, 1500, 30_000);
      await writes;
      watch.stop();
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
      expect(events.slice(1300).every((e) => e.type === 'DELETED')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('compaction works in bounded windows: writes run between them', async () => {
    const store = sqliteStore({ path: dirs.dbPath(), compaction: { intervalMs: 3_600_000, batchRows: 100 } });
    try {
      const a = await store.create(cmKey('a'), configMap('a'));
      let last = a;
      for (let i = 0; i < 3000; i++) last = await store.update(cmKey('a'), { ...last, data: { i: String(i) } });
      const target = await store.currentRevision();
      let done = false;
      const compaction = store.compact(target).then(() => {
        done = true;
      });
      // Let the first window run, then write: the write must not wait for the whole compaction.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      await store.create(cmKey('b'), configMap('b'));
      expect(done).toBe(false);
      await compaction;
      const health = await store.health();
      expect(health.rowCount).toBe(2);
      expect(health.compactedRevision).toBe(target);
      expect(health.oldestRetainedRevision).toBe(target);
      expect((await store.get(cmKey('a')))?.['data']).toEqual({ i: '2999' });
    } finally {
      await store.close();
    }
  });
});

describe('sqlite store plugin', () => {
  it('makes SQLite the store of a cluster, and the data outlives the cluster', async () => {
    const { createCluster } = await import('@skiff/core');
    const { sqliteStorePlugin } = await import('../src/index.js');
    const path = dirs.dbPath();
    const first = await createCluster({ plugins: [sqliteStorePlugin({ path })] });
    await first.start();
    const res = first.resources.require('v1', 'ConfigMap');
    const created = await first.api.create(res, 'default', configMap('kept'));
    await first.stop();
    const second = await createCluster({ plugins: [sqliteStorePlugin({ path })] });
    await second.start();
    try {
      expect(await second.api.get(res, 'default', 'kept')).toEqual(created);
    } finally {
      await second.stop();
    }
  });
});
