import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VALUE_BYTES, createCluster, isSkiffError } from '@skiff/core';
import { cmKey, configMap, takeEvents } from '@skiff/core/testing';
import { etcdStore, etcdStorePlugin, openEtcdStore } from '../src/index.js';
import { type EtcdCluster, freePort, skipEtcdTests, startEtcd } from '../src/testing/index.js';

let cluster: EtcdCluster | undefined;
let n = 0;
const fresh = () => etcdStore({ endpoints: cluster!.endpoints, prefix: `/skiff-unit-${++n}` });

describe.skipIf(skipEtcdTests())('etcd store specifics', () => {
  beforeAll(async () => {
    cluster = await startEtcd(1);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('keeps serving writes after many watches are stopped (a cancelled watch is not a host failure)', async () => {
    const store = fresh();
    try {
      for (let round = 0; round < 3; round++) {
        const watches = Array.from({ length: 4 }, () => store.watch('/registry/', { fromRevision: 0 }));
        await store.create(cmKey(`w${round}`), configMap(`w${round}`));
        for (const w of watches) {
          await takeEvents(w, 1);
          w.stop();
        }
      }
      const started = Date.now();
      await store.create(cmKey('after'), configMap('after'));
      // Before the fix, etcd3's circuit breaker refused every call for about 5 s here.
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await store.close();
    }
  });

  it('keeps stores with different prefixes apart', async () => {
    const a = fresh();
    const b = fresh();
    try {
      await a.create(cmKey('x'), configMap('x', { from: 'a' }));
      await b.create(cmKey('x'), configMap('x', { from: 'b' }));
      expect((await a.get(cmKey('x')))?.['data']).toEqual({ from: 'a' });
      expect((await b.list('/')).items.map((o) => o['data'])).toEqual([{ from: 'b' }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses a value etcd would refuse, even when it is just under the core limit', async () => {
    const store = fresh();
    try {
      const base = JSON.stringify(configMap('big', { blob: '' })).length;
      const big = configMap('big', { blob: 'x'.repeat(MAX_VALUE_BYTES - base - 16) });
      const err = await store.create(cmKey('big'), big).catch((e: unknown) => e);
      expect(isSkiffError(err, 'SKIFF_ERR_STORE_TOO_LARGE')).toBe(true);
      expect(await store.get(cmKey('big'))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('compacts etcd itself: another client then sees the compaction and gets "gone"', async () => {
    const a = fresh();
    let obj = await a.create(cmKey('c'), configMap('c'));
    for (let i = 0; i < 5; i++) obj = await a.update(cmKey('c'), { ...obj, data: { i: String(i) } });
    const target = Number(obj.metadata.resourceVersion);
    await a.compact(target);
    await a.close(); // flushes the background etcd compaction
    const b = fresh();
    try {
      expect(await b.compactedRevision()).toBeGreaterThanOrEqual(target);
      const gone = await b.watch('/', { fromRevision: target - 1 })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
      expect(isSkiffError(gone, 'SKIFF_ERR_STORE_GONE')).toBe(true);
      const fromZero = await b.watch('/', { fromRevision: 0 })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
      expect(isSkiffError(fromZero, 'SKIFF_ERR_STORE_GONE')).toBe(true);
      // Watching from the compaction point itself still works.
      const w = b.watch('/registry/', { fromRevision: target });
      await b.create(cmKey('d'), configMap('d'));
      expect((await takeEvents(w, 1)).map((e) => [e.type, e.key])).toEqual([['ADDED', cmKey('d')]]);
      w.stop();
    } finally {
      await b.close();
    }
  });

  it('the plugin makes etcd the store of a running cluster', async () => {
    const c = await createCluster({ plugins: [etcdStorePlugin({ endpoints: cluster!.endpoints, prefix: '/skiff-plugin' })] });
    await c.start();
    try {
      const res = c.resources.require('v1', 'ConfigMap');
      await c.api.create(res, 'default', configMap('through-the-api'));
      const raw = await etcdStore({ endpoints: cluster!.endpoints, prefix: '/skiff-plugin' });
      try {
        expect((await raw.list('/registry/core/configmaps/default/')).items.map((i) => i.metadata.name)).toEqual(['through-the-api']);
      } finally {
        await raw.close();
      }
    } finally {
      await c.stop();
    }
    const bad = await createCluster({ plugins: [etcdStorePlugin({ endpoints: ['http://127.0.0.1:1'], dialTimeoutMs: 500 })] });
    const err = await bad.start().catch((e: unknown) => e);
    expect(isSkiffError(err, 'SKIFF_ERR_STORE_UNAVAILABLE')).toBe(true);
    const invalid = await createCluster({ plugins: [etcdStorePlugin({ endpoints: ['not-a-url'] })] }).catch((e: unknown) => e);
    expect(isSkiffError(invalid, 'SKIFF_ERR_PLUGIN_OPTIONS')).toBe(true);
  });
});

describe('etcd store without etcd', () => {
  it('reports an unreachable endpoint at open with a coded error', async () => {
    const port = await freePort();
    const err = await openEtcdStore({ endpoints: [`http://127.0.0.1:${port}`], dialTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(isSkiffError(err, 'SKIFF_ERR_STORE_UNAVAILABLE')).toBe(true);
  }, 30_000);

  it('refuses options without endpoints', () => {
    let err: unknown;
    try {
      etcdStore({ endpoints: [] });
    } catch (e) {
      err = e;
    }
    expect(isSkiffError(err, 'SKIFF_ERR_STORE_INVALID')).toBe(true);
  });
});
