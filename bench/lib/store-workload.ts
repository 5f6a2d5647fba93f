import type { KubeObject, Store } from '@skiff/core';
import { boundedSequential, type BoundedRun } from './bounded.js';
import { type LatencySummary, nowMs, sleep, summarize } from './stats.js';

/** A ConfigMap-shaped object of a realistic size for key `i`. */
export function benchObject(i: number, prefixName = 'cm'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${prefixName}-${i}`, namespace: 'default', labels: { app: 'bench', shard: `s${i % 8}` } },
    data: { key: `value-${i}`, config: 'x'.repeat(256) },
  };
}

/** Create, update and get rates of one store, each `count` sequential awaited operations. */
export interface CrudRates {
  create: BoundedRun;
  update: BoundedRun;
  get: BoundedRun;
}

/**
 * Creates `count` keys under `prefix`, then updates each (compare-and-swap on the returned
 * resourceVersion), then reads each back; every operation awaited before the next.
 */
export async function measureCrud(store: Store, prefix: string, count: number, budgetMs: number): Promise<CrudRates> {
  const written: KubeObject[] = [];
  const create = await boundedSequential(count, budgetMs, async (i) => {
    written.push(await store.create(`${prefix}cm-${i}`, benchObject(i)));
  });
  const update = await boundedSequential(written.length, budgetMs, async (i) => {
    const prev = written[i]!;
    written[i] = await store.update(`${prefix}cm-${i}`, { ...prev, data: { ...(prev['data'] as Record<string, string>), key: `updated-${i}` } });
  });
  const get = await boundedSequential(written.length, budgetMs, async (i) => {
    const got = await store.get(`${prefix}cm-${i}`);
    if (!got) throw new Error(`get ${prefix}cm-${i}: missing`);
  });
  return { create, update, get };
}

/** What the watch fan-out measurement saw. */
export interface WatchLatency {
  latency: LatencySummary;
  /** Deliveries expected (watchers × writes) and seen before the deadline. */
  expected: number;
  delivered: number;
  writes: number;
  /** Writes per second completed (all writes issued on schedule, rate up to the last one resolving). */
  writeRate: number;
}

/**
 * Opens `watchers` watches on `prefix`, then issues `writes` creates on a fixed schedule (one every
 * `intervalMs`, not waiting for the previous one), and records, per watcher per event, delivery
 * time minus the time the write call started. Waits at most `timeoutMs` for deliveries.
 */
export async function measureWatch(
  store: Store,
  prefix: string,
  opts: { watchers: number; writes: number; intervalMs: number; timeoutMs: number },
): Promise<WatchLatency> {
  const from = await store.currentRevision();
  const started = new Map<string, number>();
  const samples: number[] = [];
  const expected = opts.watchers * opts.writes;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const watches = Array.from({ length: opts.watchers }, () => store.watch(prefix, { fromRevision: from }));
  const loops = watches.map(async (w) => {
    let seen = 0;
    for await (const ev of w) {
      const t = nowMs();
      const s = started.get(ev.key);
      if (s !== undefined) samples.push(t - s);
      if (samples.length >= expected) allDone();
      if (++seen >= opts.writes) break;
    }
  });
  const loopErrors = Promise.allSettled(loops);
  await sleep(50); // let every watch register before the first write
  const t0 = nowMs();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < opts.writes; i++) {
    const due = t0 + i * opts.intervalMs;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    const key = `${prefix}w-${i}`;
    started.set(key, nowMs());
    pending.push(store.create(key, benchObject(i, 'w')));
  }
  await Promise.all(pending);
  const writeRate = opts.writes / ((nowMs() - t0) / 1000);
  const timer = setTimeout(allDone, opts.timeoutMs);
  await done;
  clearTimeout(timer);
  for (const w of watches) w.stop();
  await loopErrors;
  return { latency: summarize(samples), expected, delivered: samples.length, writes: opts.writes, writeRate };
}
