import fc from 'fast-check';
import { expect } from 'vitest';
import { isSkiffError } from '../errors.js';
import type { KubeObject } from '../objects/types.js';
import type { LabelMatcher, Store, Watch, WatchEvent } from '../store/types.js';

const NAMESPACES = ['ns1', 'ns2'] as const;
const NAMES = ['a', 'b', 'c', 'd'] as const;
const PREFIXES = ['/registry/configmaps/', '/registry/configmaps/ns1/', '/registry/'] as const;
const SENTINEL = '/registry/configmaps/ns1/~sentinel';

type Op =
  | { op: 'put'; ns: number; name: number; value: number; web: boolean }
  | { op: 'staleUpdate'; ns: number; name: number }
  | { op: 'del'; ns: number; name: number }
  | { op: 'watch'; prefix: number; back: number; webOnly: boolean }
  | { op: 'compact'; back: number }
  | { op: 'list'; prefix: number; limit: number; touch: { ns: number; name: number } };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('put' as const), ns: fc.nat(1), name: fc.nat(3), value: fc.nat(9), web: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('staleUpdate' as const), ns: fc.nat(1), name: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('del' as const), ns: fc.nat(1), name: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('watch' as const), prefix: fc.nat(2), back: fc.nat(12), webOnly: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('compact' as const), back: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('list' as const), prefix: fc.nat(2), limit: fc.integer({ min: 1, max: 3 }), touch: fc.record({ ns: fc.nat(1), name: fc.nat(3) }) }) },
);

interface ModelChange {
  revision: number;
  key: string;
  value: KubeObject | undefined;
  prev: KubeObject | undefined;
}

interface StartedWatch {
  watch: Watch;
  prefix: string;
  from: number;
  webOnly: boolean;
  expectGone: boolean;
}

const web: LabelMatcher = { matches: (labels) => labels['app'] === 'web' };

function keyOf(ns: number, name: number): string {
  return `/registry/configmaps/${NAMESPACES[ns]}/${NAMES[name]}`;
}

function object(key: string, value: number, isWeb: boolean): KubeObject {
  const [, , , ns, name] = key.split('/');
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name!, namespace: ns!, labels: { app: isWeb ? 'web' : 'db' } }, data: { v: String(value) } };
}

/** What a watcher with these parameters must see for one change, per the store contract. */
function expectedEvent(c: ModelChange, w: StartedWatch): [string, string, number] | undefined {
  if (!c.key.startsWith(w.prefix) || c.revision <= w.from) return undefined;
  const m = (o: KubeObject | undefined) => !!o && (!w.webOnly || web.matches(o.metadata.labels ?? {}));
  const now = m(c.value);
  const before = m(c.prev);
  if (now) return [before ? 'MODIFIED' : 'ADDED', c.key, c.revision];
  if (before) return ['DELETED', c.key, c.revision];
  return undefined;
}

async function nextWithTimeout(it: AsyncIterator<WatchEvent>, ms: number): Promise<IteratorResult<WatchEvent>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      it.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('watch stalled: an expected event never arrived')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs random interleavings of writes, stale compare-and-swaps, deletes, watches (from random past
 * revisions, with and without selectors), compactions and paginated lists against a fresh store,
 * and checks every watch saw exactly the model's events: in order, none duplicated, none skipped;
 * watches from compacted revisions fail "gone"; lists equal the model at their revision.
 */
export async function checkWatchModel(makeStore: () => Promise<Store>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 80, size: 'max' }), async (ops) => {
      const store = await makeStore();
      const watches: StartedWatch[] = [];
      try {
        const state = new Map<string, KubeObject>();
        const log: ModelChange[] = [];
        const base = await store.currentRevision();
        let compacted = await store.compactedRevision();
        const revisions = () => [base, ...log.map((c) => c.revision)];
        const record = (key: string, value: KubeObject | undefined, revision: number) => {
          log.push({ revision, key, value, prev: state.get(key) });
          if (value) state.set(key, value);
          else state.delete(key);
        };
        const put = async (key: string, value: number, isWeb: boolean) => {
          const existing = state.get(key);
          const obj = object(key, value, isWeb);
          const written = existing
            ? await store.update(key, { ...obj, metadata: { ...obj.metadata, resourceVersion: existing.metadata.resourceVersion! } })
            : await store.create(key, obj);
          record(key, written, Number(written.metadata.resourceVersion));
        };

        for (const op of ops) {
          if (op.op === 'put') {
            await put(keyOf(op.ns, op.name), op.value, op.web);
          } else if (op.op === 'staleUpdate') {
            const key = keyOf(op.ns, op.name);
            const existing = state.get(key);
            if (!existing) continue;
            const stale = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(Number(existing.metadata.resourceVersion) - 1) } };
            const err = await store.update(key, stale).then(() => undefined, (e: unknown) => e);
            expect(isSkiffError(err, 'SKIFF_ERR_STORE_CONFLICT')).toBe(true);
          } else if (op.op === 'del') {
            const key = keyOf(op.ns, op.name);
            if (!state.has(key)) {
              const err = await store.delete(key).then(() => undefined, (e: unknown) => e);
              expect(isSkiffError(err, 'SKIFF_ERR_STORE_NOT_FOUND')).toBe(true);
              continue;
            }
            const last = await store.delete(key);
            record(key, undefined, Number(last.metadata.resourceVersion));
          } else if (op.op === 'watch') {
            const revs = revisions();
            const from = revs[Math.max(0, revs.length - 1 - op.back)]!;
            const prefix = PREFIXES[op.prefix]!;
            const options = op.webOnly ? { fromRevision: from, labelSelector: web } : { fromRevision: from };
            watches.push({ watch: store.watch(prefix, options), prefix, from, webOnly: op.webOnly, expectGone: from < compacted });
          } else if (op.op === 'compact') {
            const revs = revisions();
            const target = revs[Math.max(0, revs.length - 1 - op.back)]!;
            if (target > compacted) {
              await store.compact(target);
              compacted = target;
            }
          } else {
            const prefix = PREFIXES[op.prefix]!;
            const expected = [...state.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
            const seen: KubeObject[] = [];
            let page = await store.list(prefix, { limit: op.limit });
            seen.push(...page.items);
            let touched = false;
            while (page.continue) {
              if (!touched) {
                // A write between pages must not leak into later pages.
                touched = true;
                await put(keyOf(op.touch.ns, op.touch.name), 99, false);
              }
              page = await store.list(prefix, { limit: op.limit, continue: page.continue });
              seen.push(...page.items);
            }
            expect(seen.map((o) => [o.metadata.namespace, o.metadata.name, o.metadata.resourceVersion, o['data']])).toEqual(
              expected.map(([, o]) => [o.metadata.namespace, o.metadata.name, o.metadata.resourceVersion, o['data']]),
            );
          }
        }

        // A sentinel under every prefix, matching every selector, marks the end of each stream.
        const sentinel: KubeObject = await store.create(SENTINEL, object(SENTINEL, 0, true));
        const sentinelRev = Number(sentinel.metadata.resourceVersion);
        for (const w of watches) {
          const it = w.watch[Symbol.asyncIterator]();
          if (w.expectGone) {
            const err = await nextWithTimeout(it, 10_000).then(() => undefined, (e: unknown) => e);
            expect(isSkiffError(err, 'SKIFF_ERR_STORE_GONE')).toBe(true);
            continue;
          }
          const want = log.map((c) => expectedEvent(c, w)).filter((e): e is [string, string, number] => !!e);
          const got: [string, string, number][] = [];
          for (;;) {
            const r = await nextWithTimeout(it, 10_000);
            if (r.done) throw new Error('watch ended before the sentinel');
            if (r.value.revision === sentinelRev) break;
            got.push([r.value.type, r.value.key, r.value.revision]);
            if (got.length > want.length + 5) break;
          }
          expect(got).toEqual(want);
        }
      } finally {
        for (const w of watches) w.watch.stop();
        await store.close();
      }
    }),
    { numRuns },
  );
}
