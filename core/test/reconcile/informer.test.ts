import { afterEach, describe, expect, it, vi } from 'vitest';
import { SkiffError } from '../../src/errors.js';
import {
  Controller,
  Indexer,
  Informer,
  NAMESPACE_INDEX,
  enqueueRequestForObject,
  isNewerResourceVersion,
  objectKey,
  type EventHandler,
  type InformerOptions,
} from '../../src/reconcile/index.js';
import { eventually, realDelay } from './eventually.js';
import { FakeLog, pod, type TestPod } from './fake-lister-watcher.js';

/** Records handler calls as readable strings: `add ns/a@1`, `update ns/a@1->2`, `delete ns/a@3`. */
function recorder(): { events: string[]; handler: EventHandler<TestPod> } {
  const events: string[] = [];
  const at = (o: TestPod) => `${objectKey(o)}@${o.metadata.resourceVersion}`;
  return {
    events,
    handler: {
      add: (o) => events.push(`add ${at(o)}`),
      update: (o, n) => events.push(`update ${objectKey(o)}@${o.metadata.resourceVersion}->${n.metadata.resourceVersion}`),
      delete: (o, info) => events.push(`delete ${at(o)}${info.finalStateUnknown ? ' (unknown)' : ''}`),
    },
  };
}

const informers: Informer<TestPod>[] = [];
function makeInformer(log: FakeLog<TestPod>, options: InformerOptions<TestPod> = {}): Informer<TestPod> {
  const inf = new Informer<TestPod>(log.listerWatcher(), { backoff: { initialMs: 5, maxMs: 40 }, ...options });
  informers.push(inf);
  return inf;
}
afterEach(() => {
  for (const inf of informers.splice(0)) inf.stop();
  vi.useRealTimers();
});

describe('resource versions', () => {
  it('compares numeric versions as integers, others as opaque', () => {
    expect(isNewerResourceVersion('10', '9')).toBe(true);
    expect(isNewerResourceVersion('9', '10')).toBe(false);
    expect(isNewerResourceVersion('10', '10')).toBe(false);
    expect(isNewerResourceVersion('123456789012345678901', '123456789012345678900')).toBe(true);
    expect(isNewerResourceVersion('abc', 'abd')).toBe(true);
    expect(isNewerResourceVersion('abc', 'abc')).toBe(false);
    expect(isNewerResourceVersion(undefined, '3')).toBe(true);
    expect(isNewerResourceVersion('3', '')).toBe(true);
  });
});

describe('Indexer', () => {
  it('indexes by namespace and custom functions, and follows updates and deletes', () => {
    const errors: unknown[] = [];
    const idx = new Indexer<TestPod>({ [NAMESPACE_INDEX]: (o) => [o.metadata.namespace ?? ''] }, (e) => errors.push(e));
    idx.set('a/p1', pod('p1', { namespace: 'a', nodeName: 'n1' }));
    idx.set('b/p2', pod('p2', { namespace: 'b', nodeName: 'n1' }));
    // added after objects exist: indexes them at once
    idx.addIndexers({ node: (o) => (o.spec?.nodeName ? [o.spec.nodeName] : []) });
    expect(idx.indexKeys('node', 'n1').sort()).toEqual(['a/p1', 'b/p2']);
    idx.set('a/p1', pod('p1', { namespace: 'a', nodeName: 'n2' }));
    expect(idx.indexKeys('node', 'n1')).toEqual(['b/p2']);
    expect(idx.byIndex('node', 'n2').map((o) => o.metadata.name)).toEqual(['p1']);
    idx.delete('b/p2');
    expect(idx.indexValues('node')).toEqual(['n2']);
    expect(idx.byIndex(NAMESPACE_INDEX, 'b')).toEqual([]);
    expect(() => idx.byIndex('nope', 'x')).toThrow(RangeError);
    expect(() => idx.addIndexers({ node: () => [] })).toThrow(RangeError);
    idx.addIndexers({
      broken: () => {
        throw new Error('boom');
      },
    });
    expect(errors).toHaveLength(1);
    expect(idx.indexValues('broken')).toEqual([]);
  });
});

describe('Informer', () => {
  it('lists, fires adds, syncs, then applies watch events and fires handlers', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    log.create(pod('b', { namespace: 'other' }));
    const inf = makeInformer(log);
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    expect(inf.hasSynced()).toBe(false);
    inf.start();
    expect(await inf.waitForSync()).toBe(true);
    expect(rec.events).toEqual(['add default/a@1', 'add other/b@2']);
    expect(inf.keys().sort()).toEqual(['default/a', 'other/b']);
    expect(inf.lastResourceVersion()).toBe('2');
    expect(log.watchCalls).toEqual(['2']);

    log.create(pod('c'));
    log.update({ ...pod('a'), spec: { nodeName: 'n1' } });
    log.delete('other/b');
    await eventually(() =>
      expect(rec.events.slice(2)).toEqual(['add default/c@3', 'update default/a@1->4', 'delete other/b@5']),
    );
    expect(inf.get('default/a')?.spec?.nodeName).toBe('n1');
    expect(inf.get('other/b')).toBeUndefined();
    expect(inf.list()).toHaveLength(2);
    expect(inf.lastResourceVersion()).toBe('5');
  });

  it('re-watches from the last resourceVersion after the server closes the watch', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    const inf = makeInformer(log);
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    log.create(pod('b'));
    await eventually(() => expect(rec.events).toContain('add default/b@2'));
    log.closeWatches();
    await eventually(() => expect(log.watchCalls).toEqual(['1', '2']));
    log.update({ ...pod('b'), metadata: { ...pod('b').metadata, labels: { x: 'y' } } });
    await eventually(() => expect(rec.events).toEqual(['add default/a@1', 'add default/b@2', 'update default/b@2->3']));
    expect(log.listCalls).toHaveLength(1);
  });

  it('a bookmark only advances the resourceVersion', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    const inf = makeInformer(log);
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    log.rev = 40; // writes elsewhere that this watch does not carry
    log.bookmark();
    await eventually(() => expect(inf.lastResourceVersion()).toBe('40'));
    log.closeWatches();
    await eventually(() => expect(log.watchCalls).toEqual(['1', '40']));
    expect(rec.events).toEqual(['add default/a@1']);
  });

  it('relists on a gone error and fires delete / update / add for the differences', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('gone'));
    log.create(pod('changed'));
    log.create(pod('same'));
    log.create(pod('recreated', { uid: 'old-uid' }));
    const inf = makeInformer(log);
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    expect(rec.events).toHaveLength(4);
    rec.events.length = 0;

    // The watch closes; before the informer re-watches, history it has not seen is compacted.
    log.closeWatches();
    log.delete('default/gone'); // 5
    log.update({ ...pod('changed'), spec: { nodeName: 'n9' } }); // 6
    log.delete('default/recreated'); // 7
    log.create(pod('recreated', { uid: 'new-uid' })); // 8
    log.create(pod('new')); // 9
    log.compact();

    await eventually(() => expect(log.listCalls).toHaveLength(2));
    await eventually(() =>
      expect(rec.events).toEqual([
        'delete default/gone@1 (unknown)',
        'update default/changed@2->6',
        'delete default/recreated@4 (unknown)',
        'add default/recreated@8',
        'add default/new@9',
      ]),
    );
    expect(inf.keys().sort()).toEqual(['default/changed', 'default/new', 'default/recreated', 'default/same']);
    expect(inf.get('default/recreated')?.metadata.uid).toBe('new-uid');
    expect(inf.lastResourceVersion()).toBe('9');
    await eventually(() => expect(log.watchCalls.at(-1)).toBe('9'));

    // And it keeps watching from there.
    log.delete('default/same');
    await eventually(() => expect(rec.events.at(-1)).toBe('delete default/same@10'));
  });

  it('relists when the watch itself fails with a gone error mid-stream', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    const errors: unknown[] = [];
    const inf = makeInformer(log, { onError: (e) => errors.push(e) });
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    log.failWatches(new SkiffError('SKIFF_ERR_API_STATUS', 'too old resource version', { code: 410 }));
    log.create(pod('b'));
    await eventually(() => expect(rec.events).toEqual(['add default/a@1', 'add default/b@2']));
    expect(log.listCalls).toHaveLength(2);
    expect(errors).toEqual([]); // gone is handled, not reported
  });

  it('retries other list and watch errors with backoff and reports them', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    log.listErrors.push(new Error('list down'));
    log.watchErrors.push(new Error('watch down'), new Error('watch down again'));
    const errors: string[] = [];
    const inf = makeInformer(log, { onError: (e) => errors.push((e as Error).message) });
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    expect(await inf.waitForSync()).toBe(true);
    await eventually(() => expect(log.openWatches()).toBe(1));
    expect(errors).toEqual(['list down', 'watch down', 'watch down again']);
    expect(log.listCalls).toHaveLength(2);
    expect(log.watchCalls).toEqual(['1', '1', '1']); // other errors re-watch, they do not relist
    log.create(pod('b'));
    await eventually(() => expect(rec.events).toEqual(['add default/a@1', 'add default/b@2']));
  });

  it('backs off, bounded, when relisting keeps hitting gone (no hot loop)', async () => {
    vi.useFakeTimers();
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    log.compact();
    log.listResourceVersion = () => '0'; // a list that is always older than the compaction
    const inf = new Informer<TestPod>(log.listerWatcher(), { backoff: { initialMs: 100, maxMs: 400 } });
    informers.push(inf);
    inf.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(inf.hasSynced()).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    // lists at ~0, 100, 300, 700, 1100, 1500, 1900
    expect(log.listCalls.length).toBeGreaterThanOrEqual(5);
    expect(log.listCalls.length).toBeLessThanOrEqual(8);
    inf.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores events that are not newer than the cached object', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    log.update({ ...pod('a'), spec: { nodeName: 'n2' } });
    const inf = makeInformer(log);
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    const stale = { ...pod('a'), spec: { nodeName: 'old' } };
    stale.metadata.resourceVersion = '1';
    log.inject('MODIFIED', stale);
    log.inject('DELETED', stale);
    stale.metadata.resourceVersion = '2'; // equal is not newer either
    log.inject('MODIFIED', stale);
    log.create(pod('marker'));
    await eventually(() => expect(rec.events).toEqual(['add default/a@2', 'add default/marker@3']));
    expect(inf.get('default/a')?.spec?.nodeName).toBe('n2');
  });

  it('maintains indexes through events; indexes can be added after start', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('p1', { namespace: 'a', nodeName: 'n1' }));
    log.create(pod('p2', { namespace: 'b', nodeName: 'n1' }));
    const inf = makeInformer(log, { indexers: { node: (o) => (o.spec?.nodeName ? [o.spec.nodeName] : []) } });
    inf.start();
    await inf.waitForSync();
    const names = (objs: TestPod[]) => objs.map((o) => o.metadata.name).sort();
    expect(names(inf.byIndex('node', 'n1'))).toEqual(['p1', 'p2']);
    expect(names(inf.byIndex(NAMESPACE_INDEX, 'a'))).toEqual(['p1']);
    inf.addIndexers({ label: (o) => (o.metadata.labels?.['v'] ? [o.metadata.labels['v']] : []) });
    log.update(pod('p2', { namespace: 'b', nodeName: 'n2', label: 'x' }));
    log.create(pod('p3', { namespace: 'a', nodeName: 'n2' }));
    await eventually(() => expect(names(inf.byIndex('node', 'n2'))).toEqual(['p2', 'p3']));
    expect(names(inf.byIndex('node', 'n1'))).toEqual(['p1']);
    expect(names(inf.byIndex('label', 'x'))).toEqual(['p2']);
    expect(inf.indexKeys(NAMESPACE_INDEX, 'a').sort()).toEqual(['a/p1', 'a/p3']);
    log.delete('a/p1');
    await eventually(() => expect(inf.byIndex('node', 'n1')).toEqual([]));
    expect(inf.indexValues('node').sort()).toEqual(['n2']);
  });

  it('gives a late handler synthetic adds for the cache, then live events', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    log.create(pod('b'));
    const inf = makeInformer(log);
    inf.start();
    await inf.waitForSync();
    const late = recorder();
    const reg = inf.addEventHandler(late.handler);
    expect(reg.hasSynced()).toBe(true);
    expect(late.events.sort()).toEqual(['add default/a@1', 'add default/b@2']);
    log.create(pod('c'));
    await eventually(() => expect(late.events).toContain('add default/c@3'));
    reg.remove();
    log.create(pod('d'));
    await eventually(() => expect(inf.get('default/d')).toBeDefined());
    expect(late.events).toHaveLength(3);
  });

  it('keeps dispatching when a handler throws, reporting the error', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    const errors: unknown[] = [];
    const inf = makeInformer(log, { onError: (e) => errors.push(e) });
    inf.addEventHandler({
      add: () => {
        throw new Error('bad handler');
      },
    });
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    expect(rec.events).toEqual(['add default/a@1']);
    expect(errors).toHaveLength(1);
  });

  it('stop ends the watch, calls no more handlers, and waitForSync resolves false', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a'));
    const inf = makeInformer(log);
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    await eventually(() => expect(log.openWatches()).toBe(1));
    inf.stop();
    expect(log.openWatches()).toBe(0);
    log.create(pod('b'));
    await realDelay(10);
    expect(rec.events).toEqual(['add default/a@1']);
    expect(() => inf.start()).toThrow();

    // stopped before it ever synced
    const never = new Informer<TestPod>({ list: () => new Promise(() => {}), watch: () => log.listerWatcher().watch('0') });
    never.start();
    const abort = new AbortController();
    const aborted = never.waitForSync(abort.signal);
    const pending = never.waitForSync();
    abort.abort();
    expect(await aborted).toBe(false);
    never.stop();
    expect(await pending).toBe(false);
  });

  it('feeds a controller through enqueueRequestForObject', async () => {
    const log = new FakeLog<TestPod>();
    log.create(pod('a', { namespace: 'ns' }));
    const seen: string[] = [];
    const ctrl = new Controller({
      name: 'pods',
      reconcile: (_ctx, req) => {
        seen.push(`${req.namespace}/${req.name}`);
      },
    });
    const inf = makeInformer(log);
    inf.addEventHandler(enqueueRequestForObject(ctrl));
    inf.start();
    ctrl.start();
    await eventually(() => expect(seen).toEqual(['ns/a']));
    log.delete('ns/a');
    await eventually(() => expect(seen).toEqual(['ns/a', 'ns/a']));
    await ctrl.stop();
  });
});
