import { describe, expect, it } from 'vitest';
import { isSkiffError } from '../errors.js';
import type { KubeObject } from '../objects/types.js';
import type { Store, Watch, WatchEvent } from '../store/types.js';
import { checkWatchModel } from './store-model.js';

/** Options for {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Runs of the model-based property test (default 60). */
  modelRuns?: number;
  /** Per-test timeout in ms (default 60 s; real backends are slower than memory). */
  timeoutMs?: number;
}

/** A small config map at `/registry/configmaps/<ns>/<name>`. */
export function configMap(name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}, ns = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data };
}

export function cmKey(name: string, ns = 'default'): string {
  return `/registry/configmaps/${ns}/${name}`;
}

/** Pulls `n` events from a watch, failing after `timeoutMs`. */
export async function takeEvents(watch: Watch, n: number, timeoutMs = 5000): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  const it = watch[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${out.length}/${n} events`)), Math.max(remaining, 1));
    });
    try {
      const r = await Promise.race([it.next(), timeout]);
      if (r.done) break;
      out.push(r.value);
    } finally {
      clearTimeout(timer);
    }
  }
  return out;
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (isSkiffError(err)) {
      expect(err.code).toBe(code);
      return;
    }
    throw err;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

const sel = (wanted: Record<string, string>) => ({
  matches: (labels: Readonly<Record<string, string>>) => Object.entries(wanted).every(([k, v]) => labels[k] === v),
});

/**
 * The store conformance suite: every store plugin runs it against fresh stores from `makeStore`.
 * It checks the whole contract documented on `Store`, including a model-based property test of the
 * watch guarantees (ordered, never duplicated, never skipped, resumable, "gone" after compaction).
 */
export function runStoreConformance(name: string, makeStore: () => Promise<Store>, options: StoreConformanceOptions = {}): void {
  const timeout = options.timeoutMs ?? 60_000;
  const withStore = (fn: (store: Store) => Promise<void>) => async () => {
    const store = await makeStore();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  describe(`store conformance: ${name}`, { timeout }, () => {
    it('create sets resourceVersion from a monotonically increasing revision', withStore(async (store) => {
      const start = await store.currentRevision();
      const a = await store.create(cmKey('a'), configMap('a'));
      const b = await store.create(cmKey('b'), configMap('b'));
      expect(Number(a.metadata.resourceVersion)).toBeGreaterThan(start);
      expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
      expect(await store.currentRevision()).toBe(Number(b.metadata.resourceVersion));
      const got = await store.get(cmKey('a'));
      expect(got).toEqual(a);
    }));

    it('create fails when the key exists and writes nothing', withStore(async (store) => {
      await store.create(cmKey('a'), configMap('a', { x: '1' }));
      const rev = await store.currentRevision();
      await expectCode(store.create(cmKey('a'), configMap('a', { x: '2' })), 'SKIFF_ERR_STORE_EXISTS');
      expect(await store.currentRevision()).toBe(rev);
      expect((await store.get(cmKey('a')))?.['data']).toEqual({ x: '1' });
    }));

    it('update is compare-and-swap on resourceVersion', withStore(async (store) => {
      const a = await store.create(cmKey('a'), configMap('a', { x: '1' }));
      const a2 = await store.update(cmKey('a'), { ...a, data: { x: '2' } });
      expect(Number(a2.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
      await expectCode(store.update(cmKey('a'), { ...a, data: { x: 'stale' } }), 'SKIFF_ERR_STORE_CONFLICT');
      expect((await store.get(cmKey('a')))?.['data']).toEqual({ x: '2' });
      const unconditional = { ...a2, metadata: { ...a2.metadata, resourceVersion: '' }, data: { x: '3' } };
      await store.update(cmKey('a'), unconditional);
      expect((await store.get(cmKey('a')))?.['data']).toEqual({ x: '3' });
      await expectCode(store.update(cmKey('missing'), configMap('missing')), 'SKIFF_ERR_STORE_NOT_FOUND');
    }));

    it('delete returns the last state, honours its precondition, and get then finds nothing', withStore(async (store) => {
      const a = await store.create(cmKey('a'), configMap('a', { x: '1' }));
      await expectCode(store.delete(cmKey('a'), { expectedResourceVersion: String(Number(a.metadata.resourceVersion) + 100) }), 'SKIFF_ERR_STORE_CONFLICT');
      const gone = await store.delete(cmKey('a'), { expectedResourceVersion: a.metadata.resourceVersion });
      expect(gone['data']).toEqual({ x: '1' });
      expect(Number(gone.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
      expect(await store.get(cmKey('a'))).toBeUndefined();
      await expectCode(store.delete(cmKey('a')), 'SKIFF_ERR_STORE_NOT_FOUND');
      await store.create(cmKey('a'), configMap('a', { x: 'again' }));
      expect((await store.get(cmKey('a')))?.['data']).toEqual({ x: 'again' });
    }));

    it('values are copied in and out', withStore(async (store) => {
      const input = configMap('a', { x: '1' });
      const created = await store.create(cmKey('a'), input);
      (input['data'] as Record<string, string>)['x'] = 'mutated input';
      (created['data'] as Record<string, string>)['x'] = 'mutated output';
      expect((await store.get(cmKey('a')))?.['data']).toEqual({ x: '1' });
    }));

    it('lists by prefix in key order with label and field selectors', withStore(async (store) => {
      await store.create(cmKey('b', 'ns1'), configMap('b', {}, { app: 'web' }, 'ns1'));
      await store.create(cmKey('a', 'ns1'), configMap('a', {}, { app: 'db' }, 'ns1'));
      await store.create(cmKey('c', 'ns2'), configMap('c', {}, { app: 'web' }, 'ns2'));
      await store.create('/registry/secrets/ns1/s', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns1' } });
      const all = await store.list('/registry/configmaps/');
      expect(all.items.map((i) => i.metadata.name)).toEqual(['a', 'b', 'c']);
      expect(all.revision).toBe(await store.currentRevision());
      const ns1 = await store.list('/registry/configmaps/ns1/');
      expect(ns1.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
      const web = await store.list('/registry/configmaps/', { labelSelector: sel({ app: 'web' }) });
      expect(web.items.map((i) => i.metadata.name)).toEqual(['b', 'c']);
      const named = await store.list('/registry/configmaps/', { fieldSelector: { matches: (o) => o.metadata.name === 'c' } });
      expect(named.items.map((i) => i.metadata.name)).toEqual(['c']);
    }));

    it('paginates with limit and continue at the first page\'s revision', withStore(async (store) => {
      for (let i = 0; i < 7; i++) await store.create(cmKey(`item-${i}`), configMap(`item-${i}`));
      const first = await store.list('/registry/configmaps/', { limit: 3 });
      expect(first.items).toHaveLength(3);
      expect(first.continue).toBeTruthy();
      // Writes after the first page must not show up in later pages.
      await store.create(cmKey('item-99'), configMap('item-99'));
      await store.delete(cmKey('item-5'));
      const names = first.items.map((i) => i.metadata.name);
      let token = first.continue;
      while (token) {
        const page = await store.list('/registry/configmaps/', { limit: 3, continue: token });
        expect(page.revision).toBe(first.revision);
        names.push(...page.items.map((i) => i.metadata.name));
        token = page.continue;
      }
      expect(names).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4', 'item-5', 'item-6']);
      await expectCode(store.list('/registry/configmaps/', { continue: 'not-a-token' }), 'SKIFF_ERR_STORE_INVALID');
    }));

    it('watch delivers ADDED, MODIFIED and DELETED strictly after fromRevision, in order', withStore(async (store) => {
      const before = await store.create(cmKey('old'), configMap('old'));
      const watch = store.watch('/registry/configmaps/', { fromRevision: Number(before.metadata.resourceVersion) });
      const a = await store.create(cmKey('a'), configMap('a', { v: '1' }));
      const a2 = await store.update(cmKey('a'), { ...a, data: { v: '2' } });
      await store.create('/registry/secrets/default/s', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' } });
      const del = await store.delete(cmKey('a'));
      const events = await takeEvents(watch, 3);
      watch.stop();
      expect(events.map((e) => [e.type, e.object.metadata.name, e.revision])).toEqual([
        ['ADDED', 'a', Number(a.metadata.resourceVersion)],
        ['MODIFIED', 'a', Number(a2.metadata.resourceVersion)],
        ['DELETED', 'a', Number(del.metadata.resourceVersion)],
      ]);
      expect(events[2]?.object['data']).toEqual({ v: '2' });
      expect(events[2]?.object.metadata.resourceVersion).toBe(del.metadata.resourceVersion);
    }));

    it('watch resumes from a past revision and replays history', withStore(async (store) => {
      const a = await store.create(cmKey('a'), configMap('a'));
      await store.update(cmKey('a'), { ...a, data: { v: '2' } });
      await store.create(cmKey('b'), configMap('b'));
      const watch = store.watch('/registry/configmaps/', { fromRevision: Number(a.metadata.resourceVersion) });
      const events = await takeEvents(watch, 2);
      watch.stop();
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['MODIFIED', 'a'], ['ADDED', 'b']]);
    }));

    it('watch with a selector sees objects enter as ADDED and leave as DELETED', withStore(async (store) => {
      const watch = store.watch('/registry/configmaps/', { fromRevision: await store.currentRevision(), labelSelector: sel({ app: 'web' }) });
      const a = await store.create(cmKey('a'), configMap('a', {}, { app: 'db' }));
      const a2 = await store.update(cmKey('a'), { ...a, metadata: { ...a.metadata, labels: { app: 'web' } } });
      const a3 = await store.update(cmKey('a'), { ...a2, data: { touched: 'yes' } });
      await store.update(cmKey('a'), { ...a3, metadata: { ...a3.metadata, labels: { app: 'db' } } });
      const events = await takeEvents(watch, 3);
      watch.stop();
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    }));

    it('compaction makes older revisions gone for watches and continuations', withStore(async (store) => {
      const a = await store.create(cmKey('a'), configMap('a'));
      for (let i = 0; i < 4; i++) await store.create(cmKey(`x${i}`), configMap(`x${i}`));
      const page = await store.list('/registry/configmaps/', { limit: 2 });
      await store.update(cmKey('a'), { ...a, data: { v: '2' } });
      const rev = await store.currentRevision();
      await store.compact(rev);
      expect(await store.compactedRevision()).toBe(rev);
      const old = store.watch('/registry/configmaps/', { fromRevision: Number(a.metadata.resourceVersion) });
      await expectCode(old[Symbol.asyncIterator]().next(), 'SKIFF_ERR_STORE_GONE');
      await expectCode(store.list('/registry/configmaps/', { limit: 2, continue: page.continue! }), 'SKIFF_ERR_STORE_GONE');
      // The current state is intact and watching from the compaction point works.
      expect((await store.get(cmKey('a')))?.['data']).toEqual({ v: '2' });
      expect((await store.list('/registry/configmaps/')).items).toHaveLength(5);
      const fresh = store.watch('/registry/configmaps/', { fromRevision: rev });
      await store.delete(cmKey('x0'));
      const events = await takeEvents(fresh, 1);
      fresh.stop();
      expect(events[0]?.type).toBe('DELETED');
    }));

    it('oversize values are refused with a coded error and nothing is written', withStore(async (store) => {
      const rev = await store.currentRevision();
      const big = configMap('big', { blob: 'x'.repeat(1.6 * 1024 * 1024) });
      await expectCode(store.create(cmKey('big'), big), 'SKIFF_ERR_STORE_TOO_LARGE');
      expect(await store.currentRevision()).toBe(rev);
      expect(await store.get(cmKey('big'))).toBeUndefined();
    }));

    it('stopping a watch ends its iteration; closing the store ends all watches', withStore(async (store) => {
      const w1 = store.watch('/registry/', { fromRevision: await store.currentRevision() });
      w1.stop();
      expect((await w1[Symbol.asyncIterator]().next()).done).toBe(true);
      const w2 = store.watch('/registry/', { fromRevision: await store.currentRevision() });
      const pending = w2[Symbol.asyncIterator]().next();
      await store.close();
      // A pending pull either ends the stream or fails with the store's closed error.
      const r = await pending.catch((err: unknown) => err);
      if (isSkiffError(r)) expect(r.code).toBe('SKIFF_ERR_STORE_CLOSED');
      else expect(r).toEqual({ done: true, value: undefined });
    }));

    it('model-based: random writes, watches and compactions keep every watch guarantee', async () => {
      await checkWatchModel(makeStore, options.modelRuns ?? 60);
    });
  });
}
