import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeObject, type WatchEvent, isSkiffError } from '@skiff/core';
import { cmKey, configMap } from '@skiff/core/testing';
import { type EtcdStore, etcdStore } from '../src/index.js';
import { type EtcdCluster, leaderIndex, skipEtcdTests, startEtcd } from '../src/testing/index.js';

let cluster: EtcdCluster | undefined;

/** Creates `key`, retrying through a failover; a retry that finds the key means an earlier attempt landed. */
async function createAcknowledged(store: EtcdStore, key: string, value: KubeObject, deadline: number): Promise<KubeObject> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.create(key, value);
    } catch (err) {
      if (isSkiffError(err, 'SKIFF_ERR_STORE_EXISTS')) {
        const landed = await store.get(key);
        if (landed) return landed;
      }
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 500)));
    }
  }
}

describe.skipIf(skipEtcdTests())('etcd store on a three-member cluster', () => {
  beforeAll(async () => {
    cluster = await startEtcd(3);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('keeps serving reads, writes and watches when a member is killed during writes', { timeout: 120_000 }, async () => {
    if (!cluster) throw new Error('etcd is not running');
    const store = etcdStore({ endpoints: cluster.endpoints, prefix: '/skiff-ha' });
    const watchers = [0, 1, 2, 3, 4].map(() => etcdStore({ endpoints: cluster!.endpoints, prefix: '/skiff-ha' }));
    try {
      const start = await store.currentRevision();
      // Several watches on separate clients, so some are streaming from the member that dies.
      const watches = watchers.map((w) => w.watch('/registry/configmaps/', { fromRevision: start }));
      const collected: WatchEvent[][] = watches.map(() => []);
      const total = 240;
      const readers = watches.map(async (watch, i) => {
        for await (const e of watch) {
          collected[i]!.push(e);
          if (collected[i]!.length >= total) break;
        }
      });

      const written: KubeObject[] = [];
      const deadline = Date.now() + 90_000;
      for (let i = 0; i < total; i++) {
        if (i === 80) {
          // Kill the leader, so the cluster must also elect a new one while writes continue.
          const leader = await leaderIndex(cluster);
          expect(leader).toBeGreaterThanOrEqual(0);
          await cluster.members[leader]!.kill();
        }
        written.push(await createAcknowledged(store, cmKey(`ha-${i}`), configMap(`ha-${i}`, { i: String(i) }), deadline));
      }

      // Every acknowledged write is readable, with its revision.
      const list = await store.list('/registry/configmaps/');
      expect(list.items).toHaveLength(total);
      const byName = new Map(list.items.map((o) => [o.metadata.name, o]));
      for (const w of written) {
        expect(byName.get(w.metadata.name)?.metadata.resourceVersion).toBe(w.metadata.resourceVersion);
        expect(byName.get(w.metadata.name)?.['data']).toEqual(w['data']);
      }
      // Every watch saw every create exactly once, in revision order, across the failover.
      await Promise.race([
        Promise.all(readers),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`watches stalled at ${collected.map((c) => c.length)}`)), 30_000)),
      ]);
      const expected = [...written].sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
      for (const events of collected) {
        expect(events.map((e) => [e.type, e.object.metadata.name, e.revision])).toEqual(
          expected.map((o) => ['ADDED', o.metadata.name, Number(o.metadata.resourceVersion)]),
        );
      }
      // Compare-and-swap still holds on the surviving members.
      const first = written[0]!;
      const updated = await store.update(cmKey('ha-0'), { ...first, data: { i: 'updated' } });
      const stale = await store.update(cmKey('ha-0'), { ...first, data: { i: 'stale' } }).catch((e: unknown) => e);
      expect(isSkiffError(stale, 'SKIFF_ERR_STORE_CONFLICT')).toBe(true);
      expect((await store.get(cmKey('ha-0')))?.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
      for (const w of watches) w.stop();
    } finally {
      await Promise.all([store, ...watchers].map((s) => s.close()));
    }
  });
});
